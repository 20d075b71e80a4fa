# Stage 2 on the generated benchmark: MFF-Net2 (ResNet-18 from scratch) on
# the pseudo labels of configs/spol/mffnet1_r18_16e_synthetic.py; 128 px
# images, 112 px crops.
_base_ = [
    '../_base_/models/mffnet2_r18.py',
    '../_base_/datasets/cub_wsol_seg.py',
    '../_base_/schedules/spol_sgd_scratch_16e.py',
    '../_base_/spol_seg_runtime.py',
]
train_cfg = dict(max_epochs=12)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1))
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        data_root='data/synthetic_wsol',
        seg_map_root='work_dirs/mffnet1_r18_16e_synthetic/pseudo_labels',
        pipeline=[
            dict(type='LoadWSOLImage'),
            dict(type='LoadAnnotations', reduce_zero_label=False),
            dict(type='Resize', scale=(128, 128), keep_ratio=False),
            dict(type='RandomCrop', crop_size=(112, 112)),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackSegInputs'),
        ]))
# Evaluated inside the SPOL localiser, not here.
val_cfg = None
test_cfg = None
