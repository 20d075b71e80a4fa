# Table 2 ablation: fuse the last 2 stage(s) by multiplication.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(neck=dict(in_channels=[1024, 2048], in_index=(2, 3)))
