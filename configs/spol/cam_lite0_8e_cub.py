# The plain CAM baseline on the same pretrained EfficientNet-Lite0 and
# schedule as configs/spol/mffnet1_lite0_8e_cub.py: the deepest map alone
# (Fuse1), no MCA, no aux loss; the box comes from the CAM of the class.
_base_ = './mffnet1_lite0_8e_cub.py'
model = dict(
    neck=dict(in_channels=[320], in_index=(2, ), use_mca=False),
    head=dict(aux_loss=None))
custom_hooks = [dict(type='RNGStateHook')]
