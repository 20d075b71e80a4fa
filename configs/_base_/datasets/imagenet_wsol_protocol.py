# ImageNet-1K evaluated by the standard WSOL protocol: the val images
# resized to 224x224 without a crop. Training is as in imagenet_wsol.py.
_base_ = ['./imagenet_wsol.py']

val_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))
test_dataloader = val_dataloader
