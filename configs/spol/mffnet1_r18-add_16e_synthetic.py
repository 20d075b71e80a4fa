# Table 2 ablation on the generated benchmark: the last 3 stages, added.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(neck=dict(fusion='add'))
