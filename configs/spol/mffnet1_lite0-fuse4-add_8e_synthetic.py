# Table 2 ablation on the CUB-like benchmark: the last 4 maps, added.
_base_ = './mffnet1_lite0-fuse4_8e_synthetic.py'
model = dict(neck=dict(fusion='add'))
