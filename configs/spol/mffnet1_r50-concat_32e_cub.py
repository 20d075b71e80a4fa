# Table 2 ablation: fuse the last three stages by concatenation. The aux loss
# shares the classifier with the 128-channel deepest map, which a 384-channel
# concatenation cannot, so it is off here.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(
    neck=dict(fusion='concat'),
    head=dict(in_channels=384, aux_loss=None))
