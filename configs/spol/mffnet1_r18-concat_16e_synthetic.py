# Table 2 ablation on the generated benchmark: the last 3 stages,
# concatenated. The aux loss shares the classifier with the 128-channel
# deepest map, which a 384-channel concatenation cannot, so it is off here.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(
    neck=dict(fusion='concat'),
    head=dict(in_channels=384, aux_loss=None))
