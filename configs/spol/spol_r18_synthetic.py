# Full SPOL on the generated benchmark: the box from MFF-Net2's mask, the
# classes from MFF-Net1 (the demo trains no separate classifier).
_base_ = [
    '../_base_/datasets/synthetic_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(
    type='SPOLLocalizer',
    segmentor='configs/spol/mffnet2_r18_12e_synthetic.py',
    classifier='configs/spol/mffnet1_r18_16e_synthetic.py',
    segmentor_checkpoint='work_dirs/mffnet2_r18_12e_synthetic/epoch_12.pth',
    classifier_checkpoint='work_dirs/mffnet1_r18_16e_synthetic/epoch_16.pth',
    score_threshold=0.2,
    data_preprocessor={{_base_.data_preprocessor}})
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric', score_threshold=0.2),
]
# The localiser only evaluates: no training or validation loops.
test_cfg = dict()
train_dataloader = None
val_dataloader = None
val_evaluator = None
