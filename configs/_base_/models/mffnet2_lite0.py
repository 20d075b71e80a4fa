# MFF-Net2 on EfficientNet-Lite0 (ImageNet weights from the installed
# package): the MFF neck on the stride 8 / 16 / 32 maps and the one-channel
# masked-BCE head (mmseg). Inputs scaled to [-1, 1] as the weights expect.
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True,
        size=(224, 224),
        pad_val=0,
        seg_pad_val=255),
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
        norm_cfg=norm_cfg,
        upsample_mode='bilinear',
        align_corners=True),
    decode_head=dict(
        type='MaskedBCEHead',
        in_channels=128,
        normalize='image',
        threshold=0.2,
        dropout_ratio=0.5,
        align_corners=True),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
