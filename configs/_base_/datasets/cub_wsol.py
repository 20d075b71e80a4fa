# CUB-200-2011 for WSOL (stage 1 of SPOL and the paper's evaluation).
# Training: resize 256x256, random crop 224, horizontal flip (paper Sec. 4.2);
# testing: resize 256x256, centre crop 224, boxes (and GT masks when
# `segmentations/` exists) carried with the image.
dataset_type = 'CUB200WSOLDataset'
data_root = 'data/CUB_200_2011'

# ImageNet mean/std, BGR -> RGB, applied by the model's data preprocessor.
data_preprocessor = dict(
    num_classes=200,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)

train_pipeline = [
    dict(type='LoadWSOLImage'),
    # mmcv's Resize takes scale=(w, h).
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='WSOLRandomCrop', crop_size=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackWSOLInputs'),
]

test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadWSOLMask'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='WSOLCenterCrop', crop_size=224),
    dict(type='PackWSOLInputs'),
]

# The standard WSOL protocol (Choe et al., CVPR 2020): the whole image
# resized to 224x224, no crop (used by cub_wsol_protocol.py).
protocol_test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadWSOLMask'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='PackWSOLInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
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
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        test_mode=True,
        pipeline=test_pipeline),
)
val_evaluator = dict(type='WSOLBoxMetric')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
