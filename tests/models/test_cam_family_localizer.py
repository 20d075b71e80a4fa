"""CAMFamilyLocalizer: every CAM method on a ResNet and a non-ResNet
mmpretrain classifier, and the plain CAM against its definition."""
import pytest
import torch
from mmpretrain.structures import DataSample

from spol_mm.models.localizers import CAM_METHODS, linear_cam
from tests.helpers import build_in_scope

CLASSIFIERS = {
    'resnet': dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=64)),
    'densenet': dict(
        type='ImageClassifier',
        backbone=dict(type='DenseNet', arch=dict(
            growth_rate=8, depths=(2, 2), init_channels=16)),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=32)),
}
MOBILENET = dict(
    type='ImageClassifier',
    backbone=dict(type='MobileNetV2', widen_factor=0.25),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=3, in_channels=1280))


def CAMFamilyLocalizer(classifier, **kwargs):
    return build_in_scope(
        dict(type='CAMFamilyLocalizer', classifier=classifier, **kwargs),
        'mmpretrain')


def _samples(labels):
    return [DataSample().set_gt_label(k) for k in labels]


@pytest.mark.parametrize('family', sorted(CLASSIFIERS))
@pytest.mark.parametrize('method', sorted(CAM_METHODS))
def test_every_method_maps_the_ground_truth_class(family, method):
    torch.manual_seed(0)
    model = CAMFamilyLocalizer(CLASSIFIERS[family], method=method,
                               scorecam_batch_size=64).eval()
    inputs = torch.rand(2, 3, 64, 64)
    out = model.predict(inputs, _samples([0, 2]))
    for sample in out:
        score = sample.score_map
        assert score.shape == (64, 64) and score.dtype == torch.float32
        assert 0 <= float(score.min()) and float(score.max()) <= 1
        assert sample.pred_score.shape == (3, )  # the classifier's classes
        assert sample.pred_bboxes.shape[-1] == 4
    # the maps are of the sample's class: another class, another map
    # (Eigen-CAM has no class; its map is the first principal component)
    other = model.predict(inputs, _samples([1, 1]))
    same = all(torch.equal(a.score_map, b.score_map)
               for a, b in zip(out, other))
    assert same == (method == 'eigencam')


def test_default_target_layers():
    resnet = CAMFamilyLocalizer(CLASSIFIERS['resnet'], method='gradcam')
    assert resnet.target_layer == 'backbone.layer4'
    assert CAMFamilyLocalizer(MOBILENET).target_layer == 'backbone.conv2'
    # a family without an entry: its backbone's last normalisation layer
    densenet = CAMFamilyLocalizer(CLASSIFIERS['densenet'])
    assert densenet.target_layer == 'backbone.transitions.1.0'
    custom = CAMFamilyLocalizer(CLASSIFIERS['resnet'],
                                target_layer='backbone.layer3')
    assert custom.target_layer == 'backbone.layer3'
    with pytest.raises(ValueError, match="no module 'backbone.nope'"):
        CAMFamilyLocalizer(CLASSIFIERS['resnet'], target_layer='backbone.nope')
    with pytest.raises(ValueError, match='method'):
        CAMFamilyLocalizer(CLASSIFIERS['resnet'], method='gradcam3')
    # the family's layer follows the backbone's outputs (MFF-Net-style Lite0
    # classifiers end at layer 5)
    lite0 = dict(MOBILENET, backbone=dict(type='EfficientNetLite',
                                          out_indices=(3, 4, 5)),
                 head=dict(type='LinearClsHead', num_classes=3,
                           in_channels=320))
    assert CAMFamilyLocalizer(lite0).target_layer == 'backbone.layers.5'
    resnet3 = dict(CLASSIFIERS['resnet'],
                   backbone=dict(CLASSIFIERS['resnet']['backbone'],
                                 out_indices=(2, )),
                   head=dict(type='LinearClsHead', num_classes=3,
                             in_channels=32))
    assert CAMFamilyLocalizer(resnet3).target_layer == 'backbone.layer3'


def test_a_target_layer_the_head_does_not_use_is_named():
    unused = CAMFamilyLocalizer(
        dict(CLASSIFIERS['resnet'], backbone=dict(
            CLASSIFIERS['resnet']['backbone'], out_indices=(2, )),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=32)),
        target_layer='backbone.layer4')
    with pytest.raises(ValueError, match="'backbone.layer4' gets no"):
        unused.predict(torch.rand(1, 3, 64, 64), _samples([0]))


def test_plain_cam_is_the_class_weights_on_the_pooled_map():
    torch.manual_seed(0)
    model = CAMFamilyLocalizer(CLASSIFIERS['resnet'], method='cam').eval()
    inputs = torch.rand(1, 3, 128, 128)
    feats = model.classifier.backbone(inputs)[-1]  # (1, 64, 4, 4)
    weight = model.classifier.head.fc.weight
    manual = (weight[2][:, None, None] * feats[0]).sum(0)
    assert torch.allclose(linear_cam(feats, weight, torch.tensor([2]))[0],
                          manual, atol=1e-6)
    # GAP + linear: the logit is the CAM's mean plus the bias
    logits = model.classifier(inputs, mode='tensor')
    assert torch.allclose(logits[0, 2], manual.mean() +
                          model.classifier.head.fc.bias[2], atol=1e-5)


def test_cam_needs_a_cam_head_or_a_linear_one():
    no_linear = dict(CLASSIFIERS['resnet'],
                     neck=None,
                     head=dict(type='StackedLinearClsHead', num_classes=3,
                               in_channels=64, mid_channels=[8]))
    with pytest.raises(ValueError, match="method 'cam' needs"):
        CAMFamilyLocalizer(no_linear, method='cam')
    with pytest.raises(ValueError, match='gt_label'):
        CAMFamilyLocalizer(CLASSIFIERS['resnet']).predict(
            torch.rand(1, 3, 32, 32), [DataSample()])


def test_gradient_methods_on_a_cam_head_classifier():
    """MFF-Net-style classifiers (CAMHead: CAMs, no logits) explain their
    pooled logits; 'cam' is the head's own map."""
    mffnet = dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      out_indices=(2, 3)),
        neck=dict(type='MFFNeck', in_channels=[32, 64], in_index=(0, 1),
                  channels=8, mca_channels=4),
        head=dict(type='CAMHead', num_classes=3, in_channels=8))
    inputs = torch.rand(2, 3, 64, 64)
    for method in ('cam', 'gradcam'):
        torch.manual_seed(0)
        model = CAMFamilyLocalizer(mffnet, method=method,
                                   target_layer='neck.projections.1').eval()
        out = model.predict(inputs, _samples([0, 2]))
        # the head's own CAM comes at its resolution (the metric resizes)
        assert out[0].score_map.shape == ((4, 4) if method == 'cam' else
                                          (64, 64))
    # a failure inside the package is raised, not swallowed
    model = CAMFamilyLocalizer(CLASSIFIERS['resnet'], method='gradcam')
    with pytest.raises(IndexError):
        model.predict(inputs, _samples([5, 0]))  # class 5 of 3
