# tiny_camfamily.py on a non-ResNet classifier (a tiny DenseNet; its CAM
# target layer is the default rule's: the backbone's last norm layer).
_base_ = ['./tiny_camfamily.py']

model = dict(
    classifier=dict(
        _delete_=True,
        type='ImageClassifier',
        backbone=dict(type='DenseNet', arch=dict(
            growth_rate=8, depths=(2, 2), init_channels=16)),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=2, in_channels=32)))
