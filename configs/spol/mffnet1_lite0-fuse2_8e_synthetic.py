# Table 2 ablation on the CUB-like benchmark: the last 2 maps (stride 16 / 32),
# multiplied.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(neck=dict(in_channels=[112, 320], in_index=(1, 2)))
