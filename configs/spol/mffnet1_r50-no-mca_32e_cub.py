# Table 3 ablation: MFF-Net1 without multiplicative channel attention.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(neck=dict(use_mca=False))
