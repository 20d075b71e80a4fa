# MFF-Net2 on a ResNet-18 trained from scratch (the generated benchmark):
# the MFF neck on stages 2-4 and the one-channel masked-BCE head (mmseg).
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        size=(112, 112),
        pad_val=0,
        seg_pad_val=255),
    backbone=dict(
        type='ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        style='pytorch',
        norm_cfg=norm_cfg,
        # PyTorch's default initialisation, not mmpretrain's Kaiming.
        init_cfg=None),
    neck=dict(
        type='MFFNeck',
        in_channels=[128, 256, 512],
        in_index=(1, 2, 3),
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
