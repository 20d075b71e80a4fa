# A DenseNet-161 classifier for SPOL on CUB-200-2011 (the paper's stronger
# classifier option): mmpretrain's ImageNet DenseNet-161 fine-tuned for the
# 200 classes, same schedule as cls_r50_100e_cub.py. Use it in spol_r50_cub.py
# with `model.classifier` set to this config's model.
_base_ = './cls_r50_100e_cub.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='DenseNet',
        arch='161',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'densenet/densenet161_4xb256_in1k_20220426-ee6a80a9.pth',
            prefix='backbone')),
    head=dict(in_channels=2208))
