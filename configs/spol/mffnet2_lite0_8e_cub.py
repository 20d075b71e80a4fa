# SPOL stage 2 on the pretrained EfficientNet-Lite0: MFF-Net2, a
# class-agnostic segmentor trained with masked BCE on the GPPL labels of
# configs/spol/mffnet1_lite0_8e_cub.py (the same training images: the
# official training split without the held-out `val` images).
_base_ = [
    '../_base_/models/mffnet2_lite0.py',
    '../_base_/datasets/cub_wsol_seg.py',
    '../_base_/schedules/spol_sgd_lite0_8e.py',
    '../_base_/spol_seg_runtime.py',
]
model = dict(backbone=dict(frozen_stages=3))
train_dataloader = dict(
    batch_size=32,
    dataset=dict(
        val_fraction=0.1,
        seg_map_root='work_dirs/mffnet1_lite0_8e_cub/pseudo_labels'))
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
# Evaluated inside the SPOL localiser, not here.
val_cfg = None
test_cfg = None
