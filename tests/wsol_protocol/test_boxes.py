"""Box arrays, box checks and the two IoU conventions.

Expected values are worked out by hand in the comments.
"""
import numpy as np
import pytest

from spol_mm.structures import as_box_array, box_iou, box_problem


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


def test_box_problem_zero_size_is_an_option():
    assert box_problem([0, 0, 5, 5]) is None
    assert box_problem([5, 0, 5, 5]) == 'x1 <= x0'
    assert box_problem([0, 5, 5, 5]) == 'y1 <= y0'
    # The protocol's evaluator keeps zero-size boxes, not reversed ones.
    assert box_problem([5, 0, 5, 5], allow_zero_size=True) is None
    assert box_problem([0, 5, 5, 5], allow_zero_size=True) is None
    assert box_problem([6, 0, 5, 5], allow_zero_size=True) == 'x1 < x0'
    assert box_problem([0, 6, 5, 5], allow_zero_size=True) == 'y1 < y0'


def test_as_box_array_shapes():
    assert as_box_array([1, 2, 3, 4]).shape == (1, 4)
    assert as_box_array([]).shape == (0, 4)
    with pytest.raises(ValueError, match=r'pred must have shape \(N, 4\)'):
        as_box_array(np.zeros((2, 3)), 'pred')
