# Table 2 ablation on the CUB-like benchmark: the last 4 maps (stride 4 / 8 /
# 16 / 32; the backbone also returns its 24-channel stride-4 map), multiplied.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(
    backbone=dict(out_indices=(2, 3, 4, 5)),
    neck=dict(in_channels=[24, 40, 112, 320], in_index=(0, 1, 2, 3)))
