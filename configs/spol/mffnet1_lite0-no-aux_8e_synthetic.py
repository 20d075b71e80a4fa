# Table 3 ablation on the CUB-like benchmark: MFF-Net1 without the aux loss.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(head=dict(aux_loss=None))
