# The CAM-family localiser on a tiny random-weight classifier over a tiny
# generated WSOL set (`test_dataloader.dataset.data_root` and
# `model.classifier` are set by the tests), in the paper's frame.
_base_ = ['../../../configs/spol/trivial_box_synthetic.py']

classifier = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, base_channels=8,
                  out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=2, in_channels=64))
model = dict(
    _delete_=True,
    type='CAMFamilyLocalizer',
    classifier=classifier,
    method='gradcam',
    scorecam_batch_size=64,
    data_preprocessor={{_base_.model.data_preprocessor}})
test_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False)
test_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='WSOLBoxMetric',
         threshold_sweep=[round(0.1 * k, 1) for k in range(1, 10)]),
]
