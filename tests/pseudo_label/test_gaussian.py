"""Moments and Gaussian of GPPL (Eq. 5-6) against hand-derived values."""
import math

import pytest
import torch

from spol_mm.pseudo_label import (GaussianMoments, gaussian_map,
                                  normalize_cams, paper_moments, scale_moments,
                                  weighted_moments)


def _blob(height, width, mu_x, mu_y, sigma_1, sigma_2, angle_deg):
    """A peak-1 Gaussian with principal sigmas rotated by ``angle``, and its
    analytic (var_x, var_y, rho)."""
    angle = math.radians(angle_deg)
    cos, sin = math.cos(angle), math.sin(angle)
    var_x = sigma_1**2 * cos**2 + sigma_2**2 * sin**2
    var_y = sigma_1**2 * sin**2 + sigma_2**2 * cos**2
    cov = (sigma_1**2 - sigma_2**2) * sin * cos
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=torch.float64),
        torch.arange(width, dtype=torch.float64),
        indexing='ij')
    # Rotate the offsets into the principal frame.
    dx, dy = xs - mu_x, ys - mu_y
    u = dx * cos + dy * sin
    v = -dx * sin + dy * cos
    blob = torch.exp(-0.5 * (u**2 / sigma_1**2 + v**2 / sigma_2**2))
    return blob[None], (var_x, var_y, cov / math.sqrt(var_x * var_y))


def _close(value, expected, rel):
    assert abs(float(value) - expected) <= rel * abs(expected), (value,
                                                                 expected)


def test_moments_of_rotated_blob_match_its_parameters():
    blob, (var_x, var_y, rho) = _blob(144, 160, 70.3, 58.6, 14., 6., 30.)
    m = weighted_moments(blob)
    assert bool(m.valid.all())
    _close(m.mu_x, 70.3, 0.01)
    _close(m.mu_y, 58.6, 0.01)
    _close(m.var_x, var_x, 0.01)
    _close(m.var_y, var_y, 0.01)
    _close(m.rho, rho, 0.01)
    # rho = (196 - 36) sin60 / 2 / sqrt(156 * 76)
    _close(m.rho, 0.63628, 0.001)
    # The Gaussian of those moments is the blob again.
    again = gaussian_map(m, (144, 160), torch.float64)
    assert float((again - blob).abs().max()) < 0.01


def test_moments_reading_truncates_the_blob_at_0_7():
    # Moments over density > 0.7 * peak only: a Gaussian truncated at the
    # Mahalanobis radius R with exp(-R^2 / 2) = 0.7 keeps its mean, and its
    # covariance shrinks by 1 - ln(1 / 0.7) * 0.7 / 0.3 = 0.16777.
    blob, (var_x, var_y, rho) = _blob(256, 256, 128.4, 121.7, 28., 12., -35.)
    m = paper_moments(blob, 'moments', 0.7)
    factor = 1 - math.log(1 / 0.7) * 0.7 / 0.3
    _close(m.mu_x, 128.4, 0.01)
    _close(m.mu_y, 121.7, 0.01)
    _close(m.var_x, factor * var_x, 0.03)
    _close(m.var_y, factor * var_y, 0.03)
    _close(m.rho, rho, 0.02)
    # 'off' weighs every pixel: the full covariance.
    _close(paper_moments(blob, 'off').var_x, var_x, 0.01)


def test_all_zero_map_gives_documented_placeholders():
    m = weighted_moments(torch.zeros(2, 6, 9))
    assert not bool(m.valid.any())
    assert m.mu_x.tolist() == [4., 4.]  # (W - 1) / 2
    assert m.mu_y.tolist() == [2.5, 2.5]  # (H - 1) / 2
    assert torch.allclose(m.var_x,
                          torch.full((2, ), 1 / 12, dtype=m.var_x.dtype))
    assert m.rho.tolist() == [0., 0.]
    gauss = gaussian_map(m, (6, 9))
    assert gauss.shape == (2, 6, 9) and not bool(gauss.any())


def test_single_pixel_has_the_floored_variance():
    weights = torch.zeros(1, 8, 10)
    weights[0, 3, 5] = 0.8
    m = weighted_moments(weights)
    assert (float(m.mu_x), float(m.mu_y)) == pytest.approx((5., 3.))
    assert float(m.var_x) == pytest.approx(1 / 12)
    assert float(m.var_y) == pytest.approx(1 / 12)
    assert float(m.rho) == 0.
    gauss = gaussian_map(m, (8, 10))[0]
    assert float(gauss[3, 5]) == pytest.approx(1.)
    # exp(-dx^2 / (2 var)) with var = 1/12: exp(-6) next door.
    assert float(gauss[3, 6]) == pytest.approx(math.exp(-6), rel=1e-5)
    assert float(gauss[4, 6]) == pytest.approx(math.exp(-12), rel=1e-5)
    assert bool(torch.isfinite(gauss).all())


def test_collinear_pixels_clamp_rho():
    # Pixels (i, i), i = 0..4: var_x = var_y = cov = 2, so rho = 1 is
    # clamped to 0.999. On the line at distance d from the mean, Eq. 5-6
    # give exp(-d^2 (1 - rho) / (2 (1 - rho^2))) = exp(-d^2 / (2 (1 + rho))).
    weights = torch.zeros(1, 5, 5)
    for i in range(5):
        weights[0, i, i] = 1.
    m = weighted_moments(weights, rho_eps=1e-3)
    assert float(m.var_x) == pytest.approx(2.)
    assert float(m.rho) == pytest.approx(0.999)
    gauss = gaussian_map(m, (5, 5), torch.float64)[0]
    assert bool(torch.isfinite(gauss).all())
    assert float(gauss[4, 4]) == pytest.approx(math.exp(-4 / 3.998))
    # Off the line it falls fast: (x, y) = (3, 1), offsets (1, -1).
    theta = (1 + 2 * 0.999 + 1) / 2
    assert float(gauss[1, 3]) == pytest.approx(
        math.exp(-theta / (2 * (1 - 0.999**2))), rel=1e-6)


def test_horizontal_line_floors_only_the_vertical_variance():
    weights = torch.zeros(1, 4, 7)
    weights[0, 2, 1:6] = 1.  # x = 1..5: mean 3, variance 2
    m = weighted_moments(weights)
    assert float(m.var_x) == pytest.approx(2.)
    assert float(m.var_y) == pytest.approx(1 / 12)
    assert float(m.rho) == 0.


def test_scale_moments_keeps_rho_and_floors():
    m = GaussianMoments(
        *(torch.tensor([v], dtype=torch.float64)
          for v in (3., 4., 20., 0.5, 0.4)), torch.tensor([True]))
    s = scale_moments(m, 0.1, var_eps=1 / 12)
    assert float(s.var_x) == pytest.approx(2.)
    assert float(s.var_y) == pytest.approx(1 / 12)  # 0.05 floored
    assert float(s.rho) == pytest.approx(0.4)


def test_normalize_cams():
    cams = torch.tensor([[[0., 2.], [1., 4.]], [[0., 0.], [0., 0.]]])
    out = normalize_cams(cams)
    assert torch.allclose(out[0], cams[0] / (4 + 1e-6))
    assert not bool(out[1].any())
    with pytest.raises(ValueError, match='NaN or inf.*\\[1\\]'):
        normalize_cams(torch.stack([cams[0], cams[0] * float('nan')]))
    with pytest.raises(ValueError, match='non-negative.*\\[0\\]'):
        normalize_cams(-cams)
    with pytest.raises(ValueError, match='shape \\(N, H, W\\)'):
        normalize_cams(cams[0])
