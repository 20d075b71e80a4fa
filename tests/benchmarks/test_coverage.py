"""The part / body / background shares of a map."""
import numpy as np

from spol_mm.benchmarks.coverage import region_shares
from spol_mm.benchmarks.synthetic import render_sample, sample_rng


def test_region_shares_by_hand():
    score = np.array([[1., .5, 0., 0.], [0., 0., .1, .4]])
    part = np.zeros((2, 4), bool)
    part[0, 0] = True
    obj = np.zeros((2, 4), bool)
    obj[0, :2] = True
    shares = region_shares(score, part, obj, threshold=0.3)
    np.testing.assert_allclose(shares['mass'], [1 / 2, .5 / 2, .5 / 2])
    np.testing.assert_allclose(shares['covered'], [1., 1., 1 / 6])


def test_a_map_on_the_part_alone():
    _, obj, _, part = render_sample(
        sample_rng(0, 'test', 0), 64, 1, 4, return_part=True)
    shares = region_shares(part.astype(np.float32), part, obj, 0.5)
    np.testing.assert_allclose(shares['mass'], [1., 0., 0.])
    np.testing.assert_allclose(shares['covered'], [1., 0., 0.])
