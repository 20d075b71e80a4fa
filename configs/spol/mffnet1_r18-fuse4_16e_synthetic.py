# Table 2 ablation on the generated benchmark: all 4 stages, multiplied.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(neck=dict(in_channels=[64, 128, 256, 512], in_index=(0, 1, 2, 3)))
