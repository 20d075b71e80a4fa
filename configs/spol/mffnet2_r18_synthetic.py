# Stage 2 on the generated benchmark: MFF-Net2 (ResNet-18 from scratch) on
# the pseudo labels of configs/spol/mffnet1_r18_synthetic.py.
_base_ = './mffnet2_r50_cub.py'

data_root = 'data/synthetic_wsol'
pseudo_label_root = 'work_dirs/spol_demo/mffnet1_r18_synthetic/pseudo_labels'
model = dict(
    data_preprocessor=dict(size=(112, 112)),
    backbone=dict(depth=18, init_cfg=None),
    neck=dict(in_channels=[128, 256, 512]))
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=12)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1))
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        data_root=data_root,
        seg_map_root=pseudo_label_root,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations', reduce_zero_label=False),
            dict(type='Resize', scale=(128, 128), keep_ratio=False),
            dict(type='RandomCrop', crop_size=(112, 112)),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackSegInputs'),
        ]))
