"""wsol_protocol.accumulator: records, totals and the box rules chosen."""
import numpy as np
import pytest

from wsol_protocol import WSOLProtocolAccumulator


def _ring_and_square():
    """A ring whose hole alone matches the GT (only every-contour gets it
    right) and a square that both rules get right."""
    ring = np.zeros((64, 64))
    ring[4:60, 4:60] = 1.0
    ring[20:44, 20:44] = 0.0  # its contour's box: the hole grown by 1
    square = np.zeros((64, 64))
    square[20:30, 20:30] = 0.9
    return [(ring, np.array([[19, 19, 44, 44]])),
            (square, np.array([[20, 20, 29, 29]]))]


def _totals(**kwargs):
    acc = WSOLProtocolAccumulator(**kwargs)
    for score_map, boxes in _ring_and_square():
        acc.add(acc.evaluate_image(score_map, gt_boxes=boxes))
    return acc


def test_both_rules_by_default():
    out = _totals().box_metrics()
    assert out['MaxBoxAcc'] == 50.0  # the ring's largest contour misses
    assert out['MaxBoxAccV2'] == 100.0


def test_every_contour_alone_equals_its_numbers_with_both():
    both = _totals()
    alone = _totals(largest_contour=False)
    record = alone.evaluate_image(*_ring_and_square()[0])
    assert set(record) == {'multi'}
    assert alone.num_boxed == 2
    expected = both.box_metrics()
    del expected['MaxBoxAcc']
    assert alone.box_metrics() == expected


def test_largest_contour_alone():
    out = _totals(multi_contour=False).box_metrics()
    assert 'MaxBoxAccV2' not in out
    assert out['MaxBoxAcc'] == out['MaxBoxAcc@50'] == 50.0


def test_no_rule_is_an_error():
    with pytest.raises(ValueError, match='no box rule'):
        WSOLProtocolAccumulator(multi_contour=False, largest_contour=False)
