# Table 3 ablation on the generated benchmark: MFF-Net1 without the aux loss.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(head=dict(aux_loss=None))
