# SPOL stage 2 on CUB-200-2011: MFF-Net2 (ResNet-50), a class-agnostic
# segmentor trained with masked BCE on the GPPL pseudo labels of
# configs/spol/mffnet1_r50_32e_cub.py, the paper's 32 epochs. Another label
# folder: `--cfg-options train_dataloader.dataset.seg_map_root=...`.
_base_ = [
    '../_base_/models/mffnet2_r50.py',
    '../_base_/datasets/cub_wsol_seg.py',
    '../_base_/schedules/spol_sgd_32e.py',
    '../_base_/spol_seg_runtime.py',
]
# Evaluated inside the SPOL localiser, not here.
val_cfg = None
test_cfg = None
