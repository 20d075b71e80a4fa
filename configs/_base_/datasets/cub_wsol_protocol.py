# CUB-200-2011 evaluated by the standard WSOL protocol (Choe et al., CVPR
# 2020): the test images resized to 224x224 without a crop. Training is the
# same as in cub_wsol.py.
_base_ = ['./cub_wsol.py']

val_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
test_dataloader = val_dataloader
