"""MFF-Net1 is a config: the neck works behind any mmpretrain backbone."""
import pytest
import torch
from mmpretrain.structures import DataSample

from tests.helpers import build_in_scope

BACKBONES = {
    # name: (backbone cfg, channels of the chosen levels, their indices)
    'resnet18': (dict(type='ResNet', depth=18, out_indices=(0, 1, 2, 3)),
                 [128, 256, 512], (1, 2, 3)),
    'mobilenet_v2': (dict(type='MobileNetV2', out_indices=(2, 4, 6)),
                     [32, 96, 320], (0, 1, 2)),
}


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_mffnet1_behind_backbone(name):
    backbone, channels, in_index = BACKBONES[name]
    model = build_in_scope(
        dict(
            type='ImageClassifier',
            backbone=backbone,
            neck=dict(type='MFFNeck', in_channels=channels,
                      in_index=in_index, channels=16, mca_channels=8),
            head=dict(type='CAMHead', num_classes=5, in_channels=16,
                      attach_cam='gt')), 'mmpretrain')
    x = torch.randn(2, 3, 64, 64)
    samples = [DataSample(metainfo=dict(img_shape=(64, 64))).set_gt_label(i)
               for i in (0, 3)]

    model.train()
    losses = model(x, samples, mode='loss')
    assert set(losses) == {'loss_cls', 'loss_aux'}
    sum(losses.values()).backward()

    model.eval()
    with torch.no_grad():
        cam = model(x, mode='tensor')
        preds = model(x, samples, mode='predict')
    assert cam.shape == (2, 5, 8, 8)  # stride 8 of a 64 px input
    assert preds[1].score_map.shape == (64, 64)
    torch.testing.assert_close(preds[1].cam, cam[1, 3])
