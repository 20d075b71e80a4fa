# Full SPOL on the generated benchmark: the box from MFF-Net2's mask, the
# classes from MFF-Net1 (the demo trains no separate classifier).
_base_ = [
    '../_base_/datasets/synthetic_wsol.py',
    'mmpretrain::_base_/default_runtime.py',
]
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)

model = dict(
    type='SPOLLocalizer',
    segmentor='configs/spol/mffnet2_r18_synthetic.py',
    classifier='configs/spol/mffnet1_r18_synthetic.py',
    segmentor_checkpoint='work_dirs/spol_demo/mffnet2_r18_synthetic/epoch_12.pth',
    classifier_checkpoint='work_dirs/spol_demo/mffnet1_r18_synthetic/epoch_16.pth',
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

# Pictures for `tools/test.py --show-dir`: the score map as colours, the
# predicted box and class, the GT boxes; one per test image.
visualizer = dict(type='WSOLVisualizer')
default_hooks = dict(visualization=dict(interval=1))
