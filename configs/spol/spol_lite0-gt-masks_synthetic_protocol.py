# spol_lite0-gt-masks_synthetic.py (the upper-bound reference) evaluated in
# the WSOL protocol's frame (the whole image resized to 224x224, no crop):
# MaxBoxAcc, MaxBoxAccV2, PxAP.
_base_ = './spol_lite0-gt-masks_synthetic.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
