"""IoU conventions, SPOL's box rule, frame mapping, the paper's verdicts.

Expected values are worked out by hand in the comments.
"""
import numpy as np
import pytest

from spol_mm.evaluation.functional import (best_box_iou, box_iou,
                                           box_to_original_frame,
                                           largest_region_box,
                                           loc_accuracies, localization_hit,
                                           mask_to_boxes, passes_iou,
                                           rescale_boxes_truncate,
                                           score_map_to_boxes, topk_hits)


def test_iou_continuous_and_plus_one():
    a, b = [0, 0, 10, 10], [5, 5, 15, 15]
    # continuous: inter 5*5 = 25, union 100 + 100 - 25 = 175
    assert box_iou(a, b)[0, 0] == pytest.approx(25 / 175)
    # +1: inter 6*6 = 36, areas 11*11 = 121, union 242 - 36 = 206
    assert box_iou(a, b, plus_one=True)[0, 0] == pytest.approx(36 / 206)
    # touching boxes: 0 continuous, one shared pixel column with +1
    assert box_iou([0, 0, 10, 10], [10, 0, 20, 10])[0, 0] == 0
    assert box_iou([0, 0, 10, 10], [10, 0, 20, 10],
                   plus_one=True)[0, 0] == pytest.approx(11 / (242 - 11))
    # degenerate pair: zero union -> 0, not NaN
    assert box_iou([3, 3, 3, 3], [3, 3, 3, 3])[0, 0] == 0
    assert box_iou(np.zeros((0, 4)), [a, b]).shape == (0, 2)


def _map_with_blobs():
    m = np.zeros((20, 30), dtype=np.float32)
    m[3:5, 2:6] = 0.9  # 2 x 4 pixels: box x 2..6, y 3..5
    m[8:16, 10:25] = 0.5  # the largest: box x 10..25, y 8..16
    m[11:13, 15:18] = 0.0  # a hole inside it
    return m


def test_largest_region_box_spol_rule():
    m = _map_with_blobs()
    np.testing.assert_array_equal(largest_region_box(m, 0.2),
                                  [10, 8, 25, 16])
    # strict threshold: 0.5 is not > 0.5, the small blob remains
    np.testing.assert_array_equal(largest_region_box(m, 0.5), [2, 3, 6, 5])
    assert largest_region_box(m, 0.95).shape == (0, 4)
    assert largest_region_box(np.zeros((5, 5)), 0.2).reshape(-1, 4).shape \
        == (0, 4)


def test_mask_to_boxes_modes():
    mask = _map_with_blobs() > 0.2
    np.testing.assert_array_equal(mask_to_boxes(mask, 'largest'),
                                  [[10, 8, 25, 16]])
    external = mask_to_boxes(mask, 'external')
    assert sorted(map(tuple, external.tolist())) == [(2, 3, 6, 5),
                                                     (10, 8, 25, 16)]
    # RETR_TREE adds the hole border: hole pixels x 15..17, y 11..12, its
    # border one pixel around: x 14..18 -> box 14..19, y 10..13 -> 10..14
    every = sorted(map(tuple, mask_to_boxes(mask, 'all').tolist()))
    assert every == [(2, 3, 6, 5), (10, 8, 25, 16), (14, 10, 19, 14)]
    np.testing.assert_array_equal(
        score_map_to_boxes(_map_with_blobs(), 0.2, 'external'), external)
    with pytest.raises(ValueError, match='mode'):
        mask_to_boxes(mask, 'biggest')


def test_box_to_original_frame_inverts_resize_crop_flip():
    # original 200 x 100 (w x h) -> resize 256x256: scale (1.28, 2.56);
    # crop x0, y0 = 16, 16; horizontal flip of the 224x224 crop.
    # input box [0, 0, 24, 224] -> unflip [200, 0, 224, 224]
    # -> + crop [216, 16, 240, 240] -> / scale [168.75, 6.25, 187.5, 93.75]
    out = box_to_original_frame([0, 0, 24, 224],
                                img_shape=(224, 224),
                                scale_factor=(1.28, 2.56),
                                crop_bbox=[16, 16, 240, 240],
                                flip=True,
                                flip_direction='horizontal')
    np.testing.assert_allclose(out, [[168.75, 6.25, 187.5, 93.75]])
    # nothing recorded: unchanged
    np.testing.assert_allclose(box_to_original_frame([1, 2, 3, 4]),
                               [[1, 2, 3, 4]])
    with pytest.raises(ValueError, match='img_shape'):
        box_to_original_frame([1, 2, 3, 4], flip=True)


def test_rescale_boxes_truncate_like_the_protocol():
    # 10*224/500 = 4.48 -> 4; 20*224/400 = 11.2 -> 11;
    # 333*224/500 = 149.18 -> 149; 399*224/400 = 223.44 -> 223
    out = rescale_boxes_truncate([[10, 20, 333, 399]], (500, 400))
    np.testing.assert_array_equal(out, [[4, 11, 149, 223]])
    assert out.dtype == np.int64
    with pytest.raises(ValueError, match='non-negative'):
        rescale_boxes_truncate([[-1, 0, 5, 5]], (10, 10))


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
