# Table 2 ablation: fuse the last 4 stage(s) by multiplication.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(neck=dict(in_channels=[256, 512, 1024, 2048], in_index=(0, 1, 2, 3)))
