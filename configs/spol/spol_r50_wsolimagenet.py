# spol_r50_imagenet.py on the WSOL protocol's ImageNet files (test = ILSVRC
# 2012 val with boxes; val = ImageNetV2 via
# test_dataloader.dataset.metadata_root=metadata/ILSVRC/val), whole image at
# 224 (configs/_base_/datasets/wsol_protocol.py).
_base_ = ['./spol_r50_imagenet.py', '../_base_/datasets/wsol_protocol.py']
test_dataloader = dict(dataset={{_base_.wsol_imagenet_test}})
