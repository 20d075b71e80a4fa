"""SPOL's box rule: the largest region of a thresholded map."""
import numpy as np
import pytest

from spol_mm.structures import (largest_region_box, mask_to_boxes,
                                score_map_to_boxes)


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
