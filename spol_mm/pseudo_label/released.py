"""The Gaussian prior of the authors' released code: one per CAM region.

This is the alternative to the paper's single Gaussian (``mode='released'``
of :class:`GPPLConfig`). Region finding needs OpenCV, so it loops over the
images on the CPU; the moments and Gaussians reuse the batched maths of
:mod:`.gaussian`.

One difference from the released code, measured by ``bench_spol.py
--spol-official-dir``: it lists the band's contours with ``RETR_TREE``, so
the inner border of a ring-shaped band is filled and fitted too (a second,
narrower Gaussian); here the band's external contours alone give regions.
"""
from typing import List, Tuple

import cv2
import numpy as np
import torch
from torch import Tensor

from .gaussian import (_check_maps, gaussian_map, scale_moments,
                       weighted_moments)


def band_regions(cam: np.ndarray,
                 band: Tuple[float, float] = (0.1, 0.5),
                 min_area: float = 20.) -> List[np.ndarray]:
    """Weight maps of the connected regions of one CAM's value band.

    The CAM is kept where ``band[0] <= cam <= band[1]`` (zero elsewhere);
    each external contour of that band with ``cv2.contourArea >= min_area``
    gives one region: the band's CAM values inside the filled contour.

    Args:
        cam (np.ndarray): One normalised CAM (H, W).
        band (tuple[float, float]): Kept value range. Defaults to
            (0.1, 0.5) as the released code.
        min_area (float): Smaller contours are skipped. Defaults to 20.

    Returns:
        list[np.ndarray]: One float64 (H, W) weight map per region.
    """
    low, high = band
    kept = np.where((cam >= low) & (cam <= high), cam, 0).astype(np.float64)
    mask = (kept > 0).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    regions = []
    for contour in contours:
        if cv2.contourArea(contour) < min_area:
            continue
        inside = np.zeros_like(mask)
        cv2.drawContours(inside, [contour], -1, 1, thickness=cv2.FILLED)
        regions.append(kept * inside)
    return regions


def released_gaussian_prior(cams: Tensor,
                            band: Tuple[float, float] = (0.1, 0.5),
                            min_area: float = 20.,
                            var_scale: float = 10.,
                            var_eps: float = 1. / 12,
                            rho_eps: float = 1e-3) -> Tensor:
    """Per-region Gaussians of the released code, max over the regions.

    For each region of :func:`band_regions`, the CAM-weighted moments give
    a Gaussian whose variances and covariance are divided by ``var_scale``
    (so ``rho`` is kept); the prior is the element-wise max over the
    regions (zero for a CAM without regions).

    Args:
        cams (Tensor): Normalised CAMs (N, H, W).
        band (tuple[float, float]): See :func:`band_regions`.
        min_area (float): See :func:`band_regions`.
        var_scale (float): Divisor of the (co)variances. Defaults to 10.
        var_eps (float): Variance floor in px^2.
        rho_eps (float): Correlation margin.

    Returns:
        Tensor: Priors (N, H, W) on the device and in the dtype of ``cams``.
    """
    _check_maps(cams, 'cams')
    size = tuple(cams.shape[-2:])
    prior = torch.zeros_like(cams)
    for i, cam in enumerate(cams.detach().cpu().double().numpy()):
        regions = band_regions(cam, band, min_area)
        if not regions:
            continue
        weights = torch.from_numpy(np.stack(regions))
        moments = scale_moments(
            weighted_moments(weights, var_eps, rho_eps), 1. / var_scale,
            var_eps)
        gauss = gaussian_map(moments, size, cams.dtype).amax(0)
        prior[i] = gauss.to(cams.device)
    return prior
