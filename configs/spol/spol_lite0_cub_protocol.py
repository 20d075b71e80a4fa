# spol_lite0_cub.py evaluated in the WSOL protocol's frame (the whole image
# resized to 224x224, no crop): MaxBoxAcc, MaxBoxAccV2 (best threshold per
# IoU) and PxAP when GT masks exist.
_base_ = './spol_lite0_cub.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
