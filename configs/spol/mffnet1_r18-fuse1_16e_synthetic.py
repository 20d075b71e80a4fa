# Table 2 ablation on the generated benchmark: the deepest stage alone.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(neck=dict(in_channels=[512], in_index=(3, )))
