# The classifier of SPOL on CUB-200-2011 (paper Sec. 4.2): an ImageNet
# ResNet-50 fine-tuned for the 200 classes; configs/spol/spol_r50_cub.py
# takes its classes from `work_dirs/cls_r50_100e_cub/epoch_100.pth`.
#   python tools/train.py configs/spol/cls_r50_100e_cub.py
_base_ = [
    '../_base_/datasets/cub_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=200,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

# Fine-tuning: the new classifier at 10x the backbone's learning rate,
# cosine decay over 100 epochs (batch 64, cub_wsol.py).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=99, by_epoch=True, begin=1,
         end=100),
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=5)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
