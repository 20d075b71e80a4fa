# MFF-Net1 on a ResNet-18 trained from scratch (the generated benchmark):
# stages 2-4 (128 / 256 / 512 channels) fused by multiplication with MCA,
# CAM head.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        style='pytorch',
        # PyTorch's default initialisation, not mmpretrain's Kaiming.
        init_cfg=None),
    neck=dict(
        type='MFFNeck',
        in_channels=[128, 256, 512],
        in_index=(1, 2, 3),
        channels=128,
        fusion='mul',
        use_mca=True,
        upsample_mode='bilinear',
        align_corners=True),
    head=dict(
        type='CAMHead',
        num_classes=8,
        in_channels=128,
        dropout_ratio=0.5,
        aux_loss='paper',
        attach_cam='gt',
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
