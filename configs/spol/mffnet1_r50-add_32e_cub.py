# Table 2 ablation: fuse the last three stages by addition.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(neck=dict(fusion='add'))
