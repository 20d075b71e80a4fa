# SPOL on CUB-200-2011 with the pretrained EfficientNet-Lite0: the box from
# MFF-Net2's mask (configs/spol/mffnet2_lite0_8e_cub.py), the classes from
# the plain CAM baseline's network (configs/spol/cam_lite0_8e_cub.py), so
# that SPOL's and the baseline's Top-1 Loc differ by the box alone (a
# dedicated classifier, configs/spol/cls_lite0_8e_cub.py, fits in
# `classifier` as well); the paper's frame (resize 256, centre crop 224).
# Settings are chosen on `val` (`--cfg-options
# test_dataloader.dataset.split=val`), the table on `test`.
#   python tools/test.py configs/spol/spol_lite0_cub.py --cfg-options \
#       model.segmentor_checkpoint=... model.classifier_checkpoint=...
_base_ = ['./cam_lite0_8e_cub.py']

model = dict(
    _delete_=True,
    type='SPOLLocalizer',
    segmentor='configs/spol/mffnet2_lite0_8e_cub.py',
    classifier={{_base_.model}},
    segmentor_checkpoint='work_dirs/mffnet2_lite0_8e_cub/epoch_8.pth',
    classifier_checkpoint='work_dirs/cam_lite0_8e_cub/epoch_8.pth',
    score_threshold=0.2,
    # Both networks are Lite0: RGB scaled to [-1, 1], as the classifier's.
    data_preprocessor={{_base_.model.data_preprocessor}})
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(
        type='WSOLBoxMetric',
        score_threshold=0.2,
        threshold_sweep={{_base_.threshold_sweep}}),
]
# The localiser only evaluates: no training or validation loops.
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_evaluator = None
val_cfg = None
custom_hooks = []
