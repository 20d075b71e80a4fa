# spol_r50_imagenet.py evaluated in the WSOL protocol's frame (the whole image
# resized to 224x224, no crop): MaxBoxAcc, MaxBoxAccV2 (best threshold per
# IoU) and PxAP when GT masks exist, beside the fixed-threshold Loc metrics.
_base_ = './spol_r50_imagenet.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
