"""A plain one-image-at-a-time numpy version of GPPL (``mode='paper'``).

It spells the paper's formulas out literally and serves as the reference
that tests and benchmarks compare :func:`gppl_labels` with. Not for use in
pipelines: it is much slower.
"""
from typing import Any, Dict, Optional, Union

import numpy as np

from .config import BACKGROUND, FOREGROUND, IGNORE_INDEX, GPPLConfig
from .gaussian import CAM_EPS


def _gaussian_numpy(weights: np.ndarray, cfg: GPPLConfig) -> np.ndarray:
    """Peak-1 Gaussian of Eq. 5-6 with the weights' moments (one map)."""
    height, width = weights.shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    total = weights.sum()
    if total <= 0:
        return np.zeros((height, width))
    mu_x = (weights * xs).sum() / total
    mu_y = (weights * ys).sum() / total
    var_x = max((weights * (xs - mu_x)**2).sum() / total, cfg.var_eps)
    var_y = max((weights * (ys - mu_y)**2).sum() / total, cfg.var_eps)
    cov = (weights * (xs - mu_x) * (ys - mu_y)).sum() / total
    sigma_x, sigma_y = np.sqrt(var_x), np.sqrt(var_y)
    rho = float(
        np.clip(cov / (sigma_x * sigma_y), -1 + cfg.rho_eps, 1 - cfg.rho_eps))
    theta = ((xs - mu_x)**2 / var_x - 2 * rho * (xs - mu_x) * (ys - mu_y) /
             (sigma_x * sigma_y) + (ys - mu_y)**2 / var_y)
    # Eq. 6, then divided by its value at the mean (its peak).
    peak = 1 / (2 * np.pi * sigma_x * sigma_y * np.sqrt(1 - rho**2))
    density = peak * np.exp(-theta / (2 * (1 - rho**2)))
    return density / peak


def gppl_labels_numpy_reference(cams: np.ndarray,
                                cfg: Optional[Union[GPPLConfig,
                                                    Dict[str, Any]]] = None,
                                normalize: bool = True,
                                **overrides: Any) -> np.ndarray:
    """The labels of :func:`gppl_labels` (``mode='paper'``), with numpy.

    Args:
        cams (np.ndarray): Non-negative CAMs (N, H, W).
        cfg (GPPLConfig | dict, optional): Settings.
        normalize (bool): Divide each CAM by its max (+1e-6) first.
        **overrides: Fields of :class:`GPPLConfig` to change.

    Returns:
        np.ndarray: uint8 labels (N, H, W).
    """
    cfg = GPPLConfig.build(cfg, **overrides)
    if cfg.mode != 'paper':
        raise ValueError('the numpy reference implements mode="paper" only')
    cams = np.asarray(cams, dtype=np.float64)
    if cams.ndim != 3:
        raise ValueError(f'cams must have shape (N, H, W), got {cams.shape}')
    labels = np.empty(cams.shape, dtype=np.uint8)
    for i, cam in enumerate(cams):
        if normalize:
            cam = cam / (cam.max() + CAM_EPS)
        enhanced = cam
        if cfg.use_gaussian:
            if cfg.fg_reading == 'moments':
                weights = np.where(cam > cfg.fg_reading_thr, cam, 0.)
            else:
                weights = cam
            enhanced = np.maximum(cam, _gaussian_numpy(weights, cfg))
            if cfg.fg_reading == 'binarize':
                enhanced = np.where(enhanced > cfg.fg_reading_thr, 1.,
                                    enhanced)
        if cfg.use_threshold:
            label = np.full(cam.shape, IGNORE_INDEX, dtype=np.uint8)
            label[enhanced >= cfg.fg_thr] = FOREGROUND
            label[enhanced < cfg.bg_thr] = BACKGROUND
        else:
            label = np.where(enhanced >= cfg.fg_thr, FOREGROUND,
                             BACKGROUND).astype(np.uint8)
        labels[i] = label
    return labels
