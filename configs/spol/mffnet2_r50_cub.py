# SPOL stage 2 on CUB-200-2011: MFF-Net2, a class-agnostic segmentor trained
# with masked BCE on stage 1's GPPL pseudo labels (1 fg, 0 bg, 255 ignore).
_base_ = [
    '../_base_/models/mffnet2_r50.py',
    '../_base_/schedules/spol_sgd_32e.py',
    '../_base_/spol_seg_runtime.py',
]

data_root = 'data/CUB_200_2011'
# Written by the GPPL hook of configs/spol/mffnet1_r50_cub.py; override with
# `--cfg-options pseudo_label_root=...` (and the dataset's seg_map_root).
pseudo_label_root = 'work_dirs/mffnet1_r50_cub/pseudo_labels'

train_pipeline = [
    dict(type='LoadImageFromFile'),
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
        pipeline=train_pipeline))
# Stage 2 trains for a fixed schedule; it is evaluated as part of the SPOL
# localiser (configs/spol/spol_r50_cub.py).
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None
