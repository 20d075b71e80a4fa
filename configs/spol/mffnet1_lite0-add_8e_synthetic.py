# Table 2 ablation on the CUB-like benchmark: the last 3 maps, added.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(neck=dict(fusion='add'))
