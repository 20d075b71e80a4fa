# mffnet1_r18_16e_synthetic.py evaluated in the WSOL protocol's frame (whole image, no crop):
# MaxBoxAcc, MaxBoxAccV2 (best threshold per IoU) and PxAP.
_base_ = './mffnet1_r18_16e_synthetic.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
