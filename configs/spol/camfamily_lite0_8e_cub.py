# The CAM family on the CAM baseline's pretrained EfficientNet-Lite0
# (configs/spol/cam_lite0_8e_cub.py, the network SPOL takes its classes
# from): the map of the ground-truth class by `model.method` ('cam',
# 'gradcam', 'gradcam++', 'xgradcam', 'layercam', 'scorecam', 'eigencam';
# the `grad-cam` package's methods), on the fused map the head pools
# (`neck.projections.0`), evaluated as SPOL is (spol_lite0_cub.py's data,
# frames and metrics): the paper's frame here, the protocol's with
# `tools/test.py --protocol-frame` (or `--out-maps DIR`).
#   python tools/test.py configs/spol/camfamily_lite0_8e_cub.py --cfg-options \
#       model.method=layercam model.classifier_checkpoint=...
_base_ = ['./spol_lite0_cub.py']

model = dict(
    _delete_=True,
    type='CAMFamilyLocalizer',
    classifier={{_base_.model.classifier}},
    classifier_checkpoint='work_dirs/cam_lite0_8e_cub/epoch_8.pth',
    method='gradcam',
    target_layer='neck.projections.0',
    score_threshold=0.2,
    data_preprocessor={{_base_.model.data_preprocessor}})
