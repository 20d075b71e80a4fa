# SPOL on ImageNet-1K: the box from MFF-Net2's mask (mffnet2_r50_6e_imagenet.py),
# the classes from mmpretrain's trained ResNet-50 (cls_r50_imagenet.py; any
# mmpretrain classifier can take its place), evaluated as spol_r50_cub.py
# (resize 256, centre crop 224).
#   python tools/test.py configs/spol/spol_r50_imagenet.py \
#       --cfg-options model.segmentor_checkpoint=...
_base_ = [
    '../_base_/models/mffnet2_r50.py',
    '../_base_/datasets/imagenet_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

classifier = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ),
                  style='pytorch'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=1000, in_channels=2048,
              topk=(1, 5)))
model = dict(
    _delete_=True,
    type='SPOLLocalizer',
    segmentor={{_base_.model}},  # MFF-Net2, built in the mmseg scope
    classifier=classifier,
    segmentor_checkpoint='work_dirs/mffnet2_r50_6e_imagenet/epoch_6.pth',
    classifier_checkpoint=(
        'https://download.openmmlab.com/mmclassification/v0/resnet/'
        'resnet50_8xb32_in1k_20210831-ea4938fc.pth'),
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
