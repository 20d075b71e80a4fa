"""The paper's verdicts: IoU thresholds, GT matching, Top-k Loc.

Expected values are worked out by hand in the comments.
"""
import numpy as np
import pytest

from spol_mm.evaluation.functional import (best_box_iou, loc_accuracies,
                                           localization_hit, passes_iou,
                                           topk_hits)
from spol_mm.structures import largest_region_box


def test_exact_box_is_a_hit():
    hit, iou = localization_hit([10, 8, 25, 16], [[10, 8, 25, 16]])
    assert hit and iou == 1.0


@pytest.mark.parametrize(
    'gt_x1, compare, expected',
    [
        (19.5, '>', True),  # IoU 100 / 195 > 0.5
        (20.0, '>', False),  # IoU exactly 100 / 200 = 0.5
        (20.0, '>=', True),
        (20.5, '>', False),  # IoU 100 / 205 < 0.5
        (20.5, '>=', False),
    ])
def test_iou_around_the_threshold(gt_x1, compare, expected):
    m = np.zeros((12, 24), dtype=np.float32)
    m[0:10, 0:10] = 1.0  # box [0, 0, 10, 10], area 100
    box = largest_region_box(m, 0.2)
    hit, _ = localization_hit(box, [[0, 0, gt_x1, 10]], 0.5, compare)
    assert hit is expected


def test_second_gt_box_matches():
    gt = [[30, 30, 40, 40], [0, 0, 10, 10]]
    assert localization_hit([0, 0, 10, 10], gt)[0]
    assert not localization_hit([0, 0, 10, 10], gt, gt_match='first')[0]
    assert best_box_iou([0, 0, 10, 10], gt, 'first') == 0


def test_empty_box_is_a_miss():
    hit, iou = localization_hit(np.zeros((0, 4)), [[0, 0, 10, 10]], 0.0,
                                '>=')
    assert not hit and iou == 0


def test_topk_and_loc_accuracies():
    scores = [0.1, 0.5, 0.3, 0.05, 0.02, 0.03]
    # label 2 is ranked second: top-1 wrong, top-5 right
    assert topk_hits(scores, 2, (1, 5)) == {1: False, 5: True}
    assert topk_hits(scores, 1, (1, 5)) == {1: True, 5: True}
    # label 4 is ranked last (6th)
    assert topk_hits(scores, 4, (1, 5)) == {1: False, 5: False}
    acc = loc_accuracies([True, True, False, True], {
        1: [False, True, True, True],
        5: [True, True, True, True]
    })
    assert acc == {'GT-known Loc': 75.0, 'Top-1 Loc': 50.0,
                   'Top-5 Loc': 75.0}
    assert passes_iou(np.array([0.4, 0.5, 0.6]), 0.5, '>').tolist() == [
        False, False, True
    ]
    with pytest.raises(ValueError, match='compare'):
        passes_iou(0.5, 0.5, '=')
