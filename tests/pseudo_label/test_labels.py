"""Enhancement, double threshold and the GPPL switches on hand-made maps."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import spol_mm.pseudo_label.labels as labels_module
from spol_mm.pseudo_label import (GPPLConfig, band_regions, double_threshold,
                                  gppl_labels, gppl_labels_numpy_reference,
                                  released_gaussian_prior)

# One row: 2 background, 3 ignored, 3 foreground values (0.5 is fg: >=).
ROW = [0., 0.003, 0.004, 0.1, 0.4999, 0.5, 0.7, 1.]


def _counts(labels):
    values, counts = np.unique(np.asarray(labels), return_counts=True)
    return dict(zip(values.tolist(), counts.tolist()))


def test_double_threshold_counts():
    maps = torch.tensor([ROW] * 3)[None]
    out = double_threshold(maps)
    assert out.dtype == torch.uint8
    assert _counts(out) == {0: 6, 1: 9, 255: 9}
    assert out[0, 0].tolist() == [0, 0, 255, 255, 255, 1, 1, 1]


def test_no_threshold_has_no_ignore():
    maps = torch.tensor([ROW] * 3)[None]
    assert _counts(double_threshold(maps, use_threshold=False)) == {
        0: 15,
        1: 9
    }


def test_thresholds_are_configurable():
    maps = torch.tensor([ROW])[None]
    out = double_threshold(maps, fg_thr=0.7, bg_thr=0.1)
    assert out[0, 0].tolist() == [0, 0, 0, 255, 255, 255, 1, 1]


def test_no_gaussian_thresholds_the_cam():
    # "w/o Gaussian": a lone bright pixel stays a lone foreground pixel.
    cams = torch.zeros(1, 9, 9)
    cams[0, 4, 4] = 3.
    cams[0, 0, 0] = 0.03  # 0.01 after normalising: ignored
    out = gppl_labels(cams, use_gaussian=False)
    assert _counts(out) == {0: 79, 1: 1, 255: 1}


def test_all_zero_cam_is_background():
    assert _counts(gppl_labels(torch.zeros(2, 5, 6))) == {0: 60}


def _core_and_patch():
    """Core of 1.0 (rows/cols 14-16) and a faint 0.3 patch at cols 26-28."""
    cams = torch.zeros(1, 32, 32, dtype=torch.float64)
    cams[0, 14:17, 14:17] = 1.
    cams[0, 14:17, 26:29] = 0.3
    return cams


def _fg_cols(labels, row):
    return torch.nonzero(labels[0, row] == 1).flatten().tolist()


def test_moments_reading_fits_only_the_core():
    # Weights only where the CAM > 0.7: the 3x3 core, variance 2/3 per
    # axis, rho 0. Gaussian >= 0.5 needs d^2 <= 2 (2/3) ln 2 = 0.92 (the
    # centre only); >= 0.004 needs d^2 <= 2 (2/3) ln 250 = 7.36: the 21
    # offsets with d^2 in {0, 1, 2, 4, 5}.
    out = gppl_labels(_core_and_patch(), fg_reading='moments')
    assert _counts(out) == {0: 1024 - 30, 1: 9, 255: 21}
    assert bool((out[0, 14:17, 14:17] == 1).all())
    assert bool((out[0, 14:17, 26:29] == 255).all())  # 0.3: ignored


def test_off_reading_stretches_towards_the_faint_patch():
    # All pixels weigh: total 9 + 2.7, mu_x = (9 * 15 + 2.7 * 27) / 11.7
    # = 17.769, var_x = 2/3 + (9 * 2.769^2 + 2.7 * 9.231^2) / 11.7 = 26.23,
    # var_y = 2/3, rho = 0. On row 15 the Gaussian is >= 0.5 where
    # (x - 17.769)^2 <= 2 * 26.23 * ln 2 = 36.4: x = 12..23; rows 14 and 16
    # need (x - mu)^2 / 26.23 <= 1.386 - 1.5 < 0: none.
    out = gppl_labels(_core_and_patch(), fg_reading='off')
    assert _fg_cols(out, 15) == list(range(12, 24))
    assert _fg_cols(out, 14) == [14, 15, 16]
    assert _fg_cols(out, 16) == [14, 15, 16]
    assert int((out == 1).sum()) == 18


def test_binarize_reading():
    cams = _core_and_patch()
    # Values > 0.7 become 1: no label changes while fg_thr <= 0.7.
    assert torch.equal(
        gppl_labels(cams, fg_reading='binarize'),
        gppl_labels(cams, fg_reading='off'))
    # With fg_thr = 0.95 it matters. Row 15, 'off': Gaussian >= 0.95 where
    # (x - 17.769)^2 <= 2 * 26.23 * ln(1 / 0.95) = 2.69: x = 17..19.
    # 'binarize': > 0.7 where (x - 17.769)^2 <= 2 * 26.23 * ln(1 / 0.7)
    # = 18.7: x = 14..22.
    off = gppl_labels(cams, fg_reading='off', fg_thr=0.95)
    binarized = gppl_labels(cams, fg_reading='binarize', fg_thr=0.95)
    assert _fg_cols(off, 15) == [14, 15, 16, 17, 18, 19]
    assert _fg_cols(binarized, 15) == list(range(14, 23))


def _ring_cam():
    """A 9x9 plateau of 0.3 around a 3x3 core of 1.0, centred at (15, 15),
    and a 3x3 patch of 0.3 (contour area 4 < 20) at (27, 4)."""
    cam = torch.zeros(1, 32, 32, dtype=torch.float64)
    cam[0, 11:20, 11:20] = 0.3
    cam[0, 14:17, 14:17] = 1.
    cam[0, 3:6, 26:29] = 0.3
    return cam


def test_band_regions_skip_small_contours():
    regions = band_regions(_ring_cam()[0].numpy(), (0.1, 0.5), 20.)
    assert len(regions) == 1
    # The band's values inside the ring's contour: 81 - 9 pixels of 0.3.
    assert np.count_nonzero(regions[0]) == 72
    assert regions[0].max() == pytest.approx(0.3)


def test_released_prior_divides_the_variance_by_ten():
    # Ring offsets -4..4 without -1..1: sum dx^2 = 9 * 60 - 3 * 2 = 534 over
    # 72 pixels: var = 7.4167, / 10 = 0.74167 per axis, rho 0.
    prior = released_gaussian_prior(_ring_cam())[0]
    var = 534 / 72 / 10
    assert float(prior[15, 15]) == pytest.approx(1.)
    assert float(prior[15, 16]) == pytest.approx(math.exp(-1 / (2 * var)))
    assert float(prior[17, 17]) == pytest.approx(math.exp(-8 / (2 * var)))
    # The small patch got no Gaussian of its own.
    assert float(prior[4, 27]) < 1e-30


def test_released_mode_takes_max_over_regions():
    cam = torch.zeros(1, 40, 40, dtype=torch.float64)
    cam[0, 2:9, 2:9] = 0.2
    cam[0, 28:37, 25:34] = 0.4
    prior = released_gaussian_prior(cam)[0]
    assert float(prior[5, 5]) == pytest.approx(1.)
    assert float(prior[32, 29]) == pytest.approx(1.)
    # gppl_labels normalises first: the patches become 0.2 / (0.4 + 1e-6)
    # (< 0.5: in the band, foreground only through its Gaussian's peak) and
    # ~1.0 (out of the band, foreground as CAM).
    out = gppl_labels(cam, mode='released')
    assert int(out[0, 5, 5]) == 1 and int(out[0, 32, 29]) == 1
    assert int(out[0, 2, 2]) == 255  # CAM 0.5 - eps, far from the peak
    assert int(out[0, 20, 20]) == 0
    assert int(gppl_labels(cam, use_gaussian=False)[0, 5, 5]) == 255


def _smooth_cams(num, height, width, seed):
    gen = torch.Generator().manual_seed(seed)
    low = torch.rand(num, 1, 6, 7, generator=gen, dtype=torch.float64)**3
    return F.interpolate(
        low, size=(height, width), mode='bilinear', align_corners=False)[:, 0]


@pytest.mark.parametrize('overrides', [
    dict(),
    dict(fg_reading='off'),
    dict(fg_reading='binarize', fg_thr=0.8),
    dict(use_gaussian=False),
    dict(use_threshold=False),
    dict(fg_thr=0.3, bg_thr=0.05, var_eps=0.5),
])
def test_batched_equals_numpy_reference(overrides, monkeypatch):
    cams = _smooth_cams(6, 40, 48, seed=len(overrides))
    cams[2] = 0.  # an all-zero CAM in the batch
    expected = gppl_labels_numpy_reference(cams.numpy(), **overrides)
    assert len(_counts(expected)) >= 2
    assert np.array_equal(gppl_labels(cams, **overrides).numpy(), expected)
    # The chunked CPU path (2 maps per chunk here) gives the same.
    monkeypatch.setattr(labels_module, 'CPU_CHUNK_PIXELS', 2 * 40 * 48)
    assert np.array_equal(gppl_labels(cams, **overrides).numpy(), expected)
    # normalize=False on maps normalised beforehand.
    normalised = cams / (cams.amax((1, 2), keepdim=True) + 1e-6)
    assert np.array_equal(
        gppl_labels(normalised, normalize=False, **overrides).numpy(),
        gppl_labels_numpy_reference(
            normalised.numpy(), normalize=False, **overrides))


def test_float32_matches_the_reference():
    cams = _smooth_cams(4, 64, 64, seed=7)
    expected = gppl_labels_numpy_reference(cams.numpy())
    got = gppl_labels(cams.float()).numpy()
    assert (got != expected).mean() < 1e-3


def test_config_validation():
    with pytest.raises(ValueError, match='mode must be one of'):
        GPPLConfig(mode='paperish')
    with pytest.raises(ValueError, match='fg_reading must be one of'):
        GPPLConfig(fg_reading='on')
    with pytest.raises(ValueError, match='bg_thr <= fg_thr'):
        GPPLConfig(fg_thr=0.1, bg_thr=0.2)
    with pytest.raises(TypeError, match="unknown GPPL setting.*'fg_thresh'"):
        gppl_labels(torch.zeros(1, 4, 4), fg_thresh=0.5)
    cfg = GPPLConfig.build(dict(released_band=[0.2, 0.6]), fg_thr=0.4)
    assert cfg.released_band == (0.2, 0.6) and cfg.fg_thr == 0.4
    assert cfg.to_dict()['released_band'] == [0.2, 0.6]
