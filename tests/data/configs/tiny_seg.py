# A seconds-long mmseg-scoped MFF-Net2 run on a tiny image / label folder
# (`data_root` is set by the tests).
_base_ = ['../../../configs/_base_/spol_seg_runtime.py']

data_root = ''
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        size=(32, 32),
        seg_pad_val=255),
    backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
    neck=dict(type='MFFNeck', in_channels=[128, 256, 512], in_index=(0, 1, 2),
              channels=16, mca_channels=8),
    decode_head=dict(type='MaskedBCEHead', in_channels=16),
    test_cfg=dict(mode='whole'))
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='BaseSegDataset',
        data_root=data_root,
        metainfo=dict(classes=('background', 'foreground')),
        data_prefix=dict(img_path='img', seg_map_path='ann'),
        img_suffix='.png',
        seg_map_suffix='.png',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackSegInputs'),
        ]))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[3])]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4, val_interval=100)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False))
log_processor = dict(by_epoch=False)
