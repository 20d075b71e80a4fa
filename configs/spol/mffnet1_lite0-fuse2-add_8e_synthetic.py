# Table 2 ablation on the CUB-like benchmark: the last 2 maps, added.
_base_ = './mffnet1_lite0-fuse2_8e_synthetic.py'
model = dict(neck=dict(fusion='add'))
