# The generated part-only stress test (tools/make_synthetic_wsol.py
# --benchmark part_stress --size 128), in the native CUB-200-2011 layout with
# GT masks; the from-scratch ResNet-18 configs read it. 128 px images, crops
# of 112, the paper's 256 -> 224 ratio.
dataset_type = 'CUB200WSOLDataset'
data_root = 'data/synthetic_wsol'
num_classes = 8

data_preprocessor = dict(
    num_classes=num_classes,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)

train_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='Resize', scale=(128, 128), keep_ratio=False),
    dict(type='WSOLRandomCrop', crop_size=112),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackWSOLInputs'),
]
test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadWSOLMask'),
    dict(type='Resize', scale=(128, 128), keep_ratio=False),
    dict(type='WSOLCenterCrop', crop_size=112),
    dict(type='PackWSOLInputs'),
]
# The WSOL protocol's frame: the whole image, no crop (for MaxBoxAccV2).
protocol_test_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadWSOLMask'),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='PackWSOLInputs'),
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        test_mode=True,
        pipeline=test_pipeline))
val_evaluator = dict(type='WSOLBoxMetric')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
