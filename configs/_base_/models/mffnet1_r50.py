# MFF-Net1: ResNet-50 -> MFF neck (MCA, Fuse3, multiplication) -> CAM head.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        # All four stages come out so the Fuse1..Fuse4 ablations only change
        # the neck's `in_index`.
        out_indices=(0, 1, 2, 3),
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(
        type='MFFNeck',
        in_channels=[512, 1024, 2048],
        in_index=(1, 2, 3),
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
