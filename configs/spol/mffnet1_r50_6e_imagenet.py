# SPOL stage 1 on ImageNet-1K: MFF-Net1, 6 epochs (paper Sec. 4.2).
_base_ = [
    '../_base_/models/mffnet1_r50.py',
    '../_base_/datasets/imagenet_wsol.py',
    '../_base_/schedules/spol_sgd_32e.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(head=dict(num_classes=1000))
train_cfg = dict(max_epochs=6)
auto_scale_lr = dict(base_batch_size=64)

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric'),
]
test_evaluator = val_evaluator
custom_hooks = [dict(type='GPPLHook'), dict(type='RNGStateHook')]
