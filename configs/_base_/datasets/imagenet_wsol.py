# ImageNet-1K for WSOL. Layout under data_root: train/<wnid>/*.JPEG,
# val/*.JPEG and val_boxes/<image stem>.xml (Pascal-VOC box files; the class
# order is the sorted train/ folders). Same pipelines as CUB (paper Sec. 4.2).
dataset_type = 'ImageNetWSOLDataset'
data_root = 'data/imagenet'

data_preprocessor = dict(
    num_classes=1000,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)

train_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='WSOLRandomCrop', crop_size=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackWSOLInputs'),
]

test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='WSOLCenterCrop', crop_size=224),
    dict(type='PackWSOLInputs'),
]

# The standard WSOL protocol: whole image resized to 224x224, no crop.
protocol_test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='PackWSOLInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline),
)

val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='val',
        test_mode=True,
        pipeline=test_pipeline),
)
val_evaluator = dict(type='WSOLBoxMetric')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
