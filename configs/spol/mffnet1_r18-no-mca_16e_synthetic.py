# Table 3 ablation on the generated benchmark: MFF-Net1 without MCA.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(neck=dict(use_mca=False))
