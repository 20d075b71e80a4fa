# A seconds-long mmpretrain-scoped MFF-Net1 run on a tiny class-folder set
# (`data_root` is set by the tests).
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)

data_root = ''
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
    neck=dict(type='MFFNeck', in_channels=[128, 256, 512], in_index=(0, 1, 2),
              channels=16, mca_channels=8),
    head=dict(type='CAMHead', num_classes=2, in_channels=16, topk=(1, )))
data_preprocessor = dict(
    num_classes=2,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CustomDataset',
        data_root=data_root,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[3])]
train_cfg = dict(by_epoch=False, max_iters=4, val_interval=100)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False))
log_processor = dict(by_epoch=False)
