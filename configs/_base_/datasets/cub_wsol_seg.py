# Stage 2 of SPOL (mmseg) on CUB-200-2011: the training images with stage
# 1's GPPL pseudo labels (1 foreground, 0 background, 255 ignore) as
# `seg_map_root`. Images load with LoadWSOLImage, as in stage 1, so an
# image stage 1 named or skipped meets the same loader here. Stage 2 trains
# for a fixed schedule and is evaluated inside the SPOL localiser.
data_root = 'data/CUB_200_2011'
# Written by stage 1's GPPL hook (`<work_dir>/pseudo_labels`).
pseudo_label_root = 'work_dirs/mffnet1_r50_32e_cub/pseudo_labels'

seg_train_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadAnnotations', reduce_zero_label=False),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='RandomCrop', crop_size=(224, 224)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CUB200WSOLDataset',
        data_root=data_root,
        split='train',
        seg_map_root=pseudo_label_root,
        pipeline=seg_train_pipeline))
# No val / test loaders: configs using this base also set `val_cfg = None`
# and `test_cfg = None` (the schedule bases define both).
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
