# The plain CAM baseline on the generated benchmark: the deepest stage alone
# (Fuse1), no MCA, no aux loss; a box from the CAM of the class.
_base_ = './mffnet1_r18_16e_synthetic.py'
model = dict(
    neck=dict(in_channels=[512], in_index=(3, ), use_mca=False),
    head=dict(aux_loss=None))
custom_hooks = []
