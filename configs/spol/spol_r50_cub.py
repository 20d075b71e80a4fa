# SPOL on CUB-200-2011 (paper Table 1 row): the box from MFF-Net2's mask,
# the classes from a separate classifier, evaluated with the paper's metrics
# (resize 256, centre crop 224) and the WSOL protocol's.
#   python tools/test.py configs/spol/spol_r50_cub.py \
#       --cfg-options model.segmentor_checkpoint=... model.classifier_checkpoint=...
_base_ = [
    '../_base_/models/mffnet2_r50.py',
    '../_base_/datasets/cub_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

classifier = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ),
                  style='pytorch'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=200, in_channels=2048,
              topk=(1, 5)))
model = dict(
    _delete_=True,
    type='SPOLLocalizer',
    segmentor={{_base_.model}},  # MFF-Net2, built in the mmseg scope
    classifier=classifier,
    segmentor_checkpoint='work_dirs/mffnet2_r50_32e_cub/epoch_32.pth',
    classifier_checkpoint='work_dirs/cls_r50_100e_cub/epoch_100.pth',
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
