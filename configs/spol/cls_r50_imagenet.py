# The ImageNet-1K classifier of SPOL: mmpretrain's trained ResNet-50
# (resnet50_8xb32_in1k, 76.55% top-1), tested on the WSOL validation set.
# Nothing to train: configs/spol/spol_r50_imagenet.py loads its weights.
_base_ = [
    '../_base_/datasets/imagenet_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

checkpoint = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
              'resnet50_8xb32_in1k_20210831-ea4938fc.pth')
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ),
                  style='pytorch'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=1000, in_channels=2048,
              topk=(1, 5)))
load_from = checkpoint
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
train_dataloader = None
train_cfg = None
optim_wrapper = None
val_cfg = dict()
test_cfg = dict()
