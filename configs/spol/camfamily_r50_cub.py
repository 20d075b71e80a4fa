# The CAM family on SPOL's CUB classifier (configs/spol/cls_r50_100e_cub.py,
# ImageNet ResNet-50 fine-tuned; global average pooling + linear head, so
# 'cam' is Zhou et al.'s CAM), target `backbone.layer4` (the map the head
# pools), in the paper's frame; `--protocol-frame` / `--out-maps DIR` for the
# protocol's.
#   python tools/test.py configs/spol/camfamily_r50_cub.py --cfg-options \
#       model.method=gradcam++
_base_ = ['./cls_r50_100e_cub.py']

# The box thresholds of cub_wsol_val.py (a base this config cannot also have).
threshold_sweep = [round(0.05 * k, 2) for k in range(1, 20)]
model = dict(
    _delete_=True,
    type='CAMFamilyLocalizer',
    classifier={{_base_.model}},
    classifier_checkpoint='work_dirs/cls_r50_100e_cub/epoch_100.pth',
    method='gradcam',
    score_threshold=0.2,
    data_preprocessor={{_base_.data_preprocessor}})
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric', score_threshold=0.2,
         threshold_sweep=threshold_sweep),
]
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_evaluator = None
val_cfg = None
custom_hooks = []
