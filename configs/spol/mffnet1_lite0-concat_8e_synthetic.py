# Table 2 ablation on the CUB-like benchmark: the last 3 maps, concatenated.
# The aux loss shares the classifier with the 128-channel deepest map, which a
# 384-channel concatenation cannot, so it is off here.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(
    neck=dict(fusion='concat'),
    head=dict(in_channels=384, aux_loss=None))
