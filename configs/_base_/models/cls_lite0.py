# A plain EfficientNet-Lite0 classifier (ImageNet weights from the installed
# package): the 1280-channel head map, global average pooling, a linear head.
# Inputs scaled to [-1, 1] as the weights expect.
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5], to_rgb=True),
    backbone=dict(
        type='EfficientNetLite',
        arch='lite0',
        out_indices=(6, ),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='efficientnet-lite0://imagenet',
            prefix='backbone.')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=1280,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
