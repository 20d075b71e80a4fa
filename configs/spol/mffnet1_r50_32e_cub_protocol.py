# Stage 1 alone as a localiser on CUB-200-2011 (the CAM rows): MFF-Net1's
# CAM of the GT class gives the box, its scores the classes. Tested on the
# WSOL protocol's frame (whole image at 224x224, no crop) so that one run
# reports both the fixed-threshold metrics (GT-known / Top-1 / Top-5 Loc,
# CAM > 0.2) and the protocol's best-threshold ones (MaxBoxAcc,
# MaxBoxAccV2, PxAP). The paper's crop-frame numbers (resize 256, centre
# crop 224) are what `tools/test.py configs/spol/mffnet1_r50_32e_cub.py` gives.
#   python tools/test.py configs/spol/mffnet1_r50_32e_cub_protocol.py \
#       work_dirs/mffnet1_r50_32e_cub/epoch_32.pth
_base_ = './mffnet1_r50_32e_cub.py'

model = dict(backbone=dict(init_cfg=None), head=dict(attach_cam='gt'))
load_from = 'work_dirs/mffnet1_r50_32e_cub/epoch_32.pth'
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
