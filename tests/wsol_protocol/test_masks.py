"""GT masks: the union of the instances, an ignore region outside them."""
import numpy as np
import pytest

from spol_mm.structures import combine_masks, protocol_gt_mask


def test_combine_masks_ignores_only_outside_the_instances():
    a = np.array([[1, 0], [0, 0]], np.uint8)
    b = np.array([[0, 0], [0, 1]], np.uint8)
    ignore = np.array([[1, 1], [0, 0]], np.uint8)
    out = combine_masks([a, b], ignore, ignore_index=7)
    np.testing.assert_array_equal(out, [[1, 7], [0, 1]])
    assert out.dtype == np.uint8
    with pytest.raises(ValueError, match='at least one'):
        combine_masks([])


def test_protocol_gt_mask_union_and_ignore():
    a = np.zeros((4, 4), np.uint8)
    a[0, 0] = 255
    b = np.zeros((4, 4), np.uint8)
    b[3, 3] = 1  # > 0.5 counts
    ignore = np.zeros((4, 4), np.uint8)
    ignore[0, :2] = 255  # (0, 0) is foreground: not ignored
    out = protocol_gt_mask([a, b], ignore, size=(4, 4))
    expected = np.zeros((4, 4), np.uint8)
    expected[0, 0] = expected[3, 3] = 1
    expected[0, 1] = 255
    np.testing.assert_array_equal(out, expected)
