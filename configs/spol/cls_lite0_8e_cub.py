# The separate classifier of SPOL's stage 3 (paper Sec. 3.4) on the
# pretrained EfficientNet-Lite0: fine-tuned for the CUB classes with the
# paper's optimiser and lr split, validated on the held-out `val` split.
# configs/spol/spol_lite0_cub.py takes its classes from this model.
_base_ = [
    '../_base_/models/cls_lite0.py',
    '../_base_/datasets/cub_wsol_val.py',
    '../_base_/schedules/spol_sgd_lite0_8e.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(backbone=dict(frozen_stages=3), head=dict(num_classes=200))
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32)
test_dataloader = dict(batch_size=32)
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
custom_hooks = [dict(type='RNGStateHook')]
