# Table 3 ablation: MFF-Net1 without the auxiliary loss.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(head=dict(aux_loss=None))
