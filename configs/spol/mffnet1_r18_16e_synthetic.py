# Stage 1 on the generated WSOL benchmark: MFF-Net1 with a ResNet-18 trained
# from scratch (nothing can be downloaded), 112 px crops, 16 epochs.
_base_ = [
    '../_base_/models/mffnet1_r18.py',
    '../_base_/datasets/synthetic_wsol.py',
    '../_base_/schedules/spol_sgd_scratch_16e.py',
    '../_base_/spol_cls_runtime.py',
]
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
