# trivial_box_cub.py evaluated in the WSOL protocol's frame (the whole image
# resized to 224x224, no crop): MaxBoxAcc is the best centred box on the
# evaluated set, MaxBoxAccV2 likewise, PxAP that of the centred pyramid.
_base_ = './trivial_box_cub.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
