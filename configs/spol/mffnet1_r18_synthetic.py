# Stage 1 on the generated WSOL benchmark: MFF-Net1 with a ResNet-18 trained
# from scratch (nothing can be downloaded), 112 px crops.
_base_ = [
    '../_base_/models/mffnet1_r50.py',
    '../_base_/datasets/synthetic_wsol.py',
    '../_base_/schedules/spol_sgd_32e.py',
    'mmpretrain::_base_/default_runtime.py',
]
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, init_cfg=None),
    neck=dict(in_channels=[128, 256, 512]),
    head=dict(num_classes=8))
# From scratch: one learning rate for all layers.
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=16, val_interval=8)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1))
val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric'),
]
test_evaluator = val_evaluator
# GPPL labels of the training images, at the training resize (128 px).
custom_hooks = [
    dict(type='GPPLHook', size=(128, 128)),
    dict(type='RNGStateHook'),
]
