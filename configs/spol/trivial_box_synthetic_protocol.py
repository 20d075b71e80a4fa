# trivial_box_synthetic.py evaluated in the WSOL protocol's frame (the whole
# image resized to 224x224, no crop): MaxBoxAcc, MaxBoxAccV2, PxAP.
_base_ = './trivial_box_synthetic.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
