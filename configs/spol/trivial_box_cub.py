# A calibration reference for the WSOL tables, not a method: every image
# gets the same centred "pyramid" map (TrivialBoxLocalizer), so thresholding
# it gives a centred box of side (1 - t) times the image whatever the image
# shows. The paper's metrics at a threshold chosen on `val` are those of the
# best centred box (or the whole image), the protocol's MaxBoxAcc that of the
# best centred box on the evaluated set. No classifier (GT-known Loc only)
# and no weights: `python tools/test.py configs/spol/trivial_box_cub.py`.
# The data, frames and normalisation of spol_lite0_cub.py (paper's frame:
# resize 256, centre crop 224); WSOLBoxMetric is test_evaluator.0.
_base_ = [
    '../_base_/datasets/cub_wsol_val.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(
    type='TrivialBoxLocalizer',
    score_threshold=0.2,
    # Lite0's normalisation, as the SPOL localiser's (the map ignores it).
    data_preprocessor=dict(
        mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5],
        to_rgb=True))
test_dataloader = dict(batch_size=32)
# The paper's threshold and the base's sweep, from which
# tools/spol_table.py --val picks a threshold on `val` (here: a box size).
test_evaluator = [
    dict(
        type='WSOLBoxMetric',
        score_threshold=0.2,
        threshold_sweep={{_base_.threshold_sweep}})
]
test_cfg = dict()
# Only evaluates: no training or validation loops.
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_evaluator = None
val_cfg = None
custom_hooks = []
