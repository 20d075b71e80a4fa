"""The trivial-box reference: the centred pyramid map, its boxes, and what
WSOLBoxMetric makes of them."""
import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmpretrain.structures import DataSample

from spol_mm.models.functional import centred_pyramid_map
from spol_mm.registry import METRICS
from spol_mm.structures import largest_region_box
from tests.helpers import build_in_scope


def _localizer(**kwargs):
    return build_in_scope(
        dict(type='TrivialBoxLocalizer', **kwargs), 'mmpretrain').eval()


def test_pyramid_values_by_hand():
    # H=4: |y - 2| / 2 at y = .5, 1.5, 2.5, 3.5 -> .75 .25 .25 .75;
    # W=6: |x - 3| / 3 -> 5/6 1/2 1/6 1/6 1/2 5/6; score = 1 - max.
    edge = [1 / 6, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 6]
    inner = [1 / 6, 1 / 2, 3 / 4, 3 / 4, 1 / 2, 1 / 6]
    expected = torch.tensor([edge, inner, inner, edge])
    torch.testing.assert_close(centred_pyramid_map(4, 6), expected)
    # One pixel: its centre is the image centre.
    assert centred_pyramid_map(1, 1).tolist() == [[1.0]]
    with pytest.raises(ValueError, match='positive'):
        centred_pyramid_map(0, 3)


@pytest.mark.parametrize('t', [0.25, 0.5, 0.75])
@pytest.mark.parametrize('shape', [(224, 224), (160, 224)])
def test_box_at_t_is_the_centred_box_of_side_1_minus_t(shape, t):
    h, w = shape
    box = largest_region_box(centred_pyramid_map(h, w).numpy(), t)
    # (1 - t) * W / 2 is a whole number of pixels here: the box is exact.
    hx, hy = (1 - t) * w / 2, (1 - t) * h / 2
    expected = [w / 2 - hx, h / 2 - hy, w / 2 + hx, h / 2 + hy]
    assert box.tolist() == pytest.approx(expected)


def test_threshold_near_zero_gives_the_whole_image():
    box = largest_region_box(centred_pyramid_map(30, 40).numpy(), 0.0)
    assert box.tolist() == [0, 0, 40, 30]


def test_predict_attaches_map_and_box_in_each_input_frame():
    localizer = _localizer(score_threshold=0.5)
    samples = [DataSample(metainfo=dict(img_shape=(8, 8))),
               DataSample(metainfo=dict(img_shape=(4, 6)))]
    # The batch is padded to the larger image; each map has its own size.
    out = localizer.predict(torch.rand(2, 3, 8, 8), samples)
    assert out[0].score_map.shape == (8, 8)
    torch.testing.assert_close(out[1].score_map, centred_pyramid_map(4, 6))
    assert out[0].pred_bboxes.tolist() == [[2., 2., 6., 6.]]
    assert 'pred_score' not in out[0]  # no classifier
    # Without samples: the inputs' size; the content plays no part.
    a = localizer.predict(torch.zeros(1, 3, 5, 7))[0].score_map
    b = localizer.predict(torch.randn(1, 3, 5, 7))[0].score_map
    assert a.shape == (5, 7) and torch.equal(a, b)
    maps = localizer(torch.zeros(3, 3, 5, 7), mode='tensor')
    assert maps.shape == (3, 5, 7) and torch.equal(maps[2], a)
    with pytest.raises(RuntimeError, match='nothing to train'):
        localizer(torch.zeros(1, 3, 5, 7), mode='loss')
    assert not list(localizer.parameters())  # no weights to load


def _sample(gt_box, size=224):
    gt = np.asarray([gt_box], np.float32)
    return DataSample(
        metainfo=dict(
            img_shape=(size, size),
            ori_shape=(size, size),
            img_path='img.jpg',
            gt_bboxes=gt,
            ori_gt_bboxes=gt.copy())).set_gt_label(0)


def _evaluate(samples, **metric):
    localizer = _localizer()
    out = localizer.predict(torch.zeros(len(samples), 3, 224, 224), samples)
    evaluator = Evaluator(
        METRICS.build(dict(type='WSOLBoxMetric', protocol=True, **metric)))
    evaluator.process(out)
    return evaluator.evaluate(len(out))


def test_metric_sees_the_centred_box_at_its_threshold():
    centred = [56, 56, 168, 168]  # side 112 = (1 - 0.5) * 224
    corner = [0, 0, 100, 100]  # no centred box reaches IoU 0.5 with it
    whole = [0, 0, 224, 224]
    pair = [_sample(centred), _sample(corner)]
    # At 0.5 the box is the centred one of half the side: only the centred
    # GT is hit; at 0 it is the whole image, which hits neither.
    at_half = _evaluate(pair, score_threshold=0.5)
    assert at_half['wsol/GT-known Loc'] == pytest.approx(50)
    assert 'wsol/Top-1 Loc' not in at_half  # no pred_score
    assert _evaluate(pair, score_threshold=0.0)['wsol/GT-known Loc'] == 0
    assert _evaluate([_sample(whole)],
                     score_threshold=0.0)['wsol/GT-known Loc'] == 100
    assert _evaluate([_sample(whole)],
                     score_threshold=0.5)['wsol/GT-known Loc'] == 0
    # The protocol's best threshold for the whole set: no centred box hits
    # the corner GT, nor the centred and the whole-image GT at once.
    three = _evaluate(pair + [_sample(whole)])
    assert three['wsol/MaxBoxAcc'] == pytest.approx(100 / 3)
    two = _evaluate([_sample(centred), _sample([50, 50, 174, 174])])
    assert two['wsol/MaxBoxAcc'] == pytest.approx(100)
