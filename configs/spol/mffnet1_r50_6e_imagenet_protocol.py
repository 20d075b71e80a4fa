# Stage 1 alone as a localiser on ImageNet-1K, as mffnet1_r50_32e_cub_protocol.py: the
# fixed-threshold metrics and the protocol's best-threshold ones, whole
# image at 224x224.
#   python tools/test.py configs/spol/mffnet1_r50_6e_imagenet_protocol.py \
#       work_dirs/mffnet1_r50_6e_imagenet/epoch_6.pth
_base_ = './mffnet1_r50_6e_imagenet.py'

model = dict(backbone=dict(init_cfg=None), head=dict(attach_cam='gt'))
load_from = 'work_dirs/mffnet1_r50_6e_imagenet/epoch_6.pth'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric', score_threshold=0.2, protocol=True),
]
# Evaluation only.
custom_hooks = []
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_cfg = None
val_evaluator = None
