# Table 2 ablation on the generated benchmark: the last 2 stages, multiplied.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(neck=dict(in_channels=[256, 512], in_index=(2, 3)))
