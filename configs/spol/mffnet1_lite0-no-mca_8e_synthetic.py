# Table 3 ablation on the CUB-like benchmark: MFF-Net1 without MCA.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(neck=dict(use_mca=False))
