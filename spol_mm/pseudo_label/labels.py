"""Gaussian enhancement and the double threshold: CAMs -> pseudo labels."""
from typing import Any, Dict, Optional, Union

import torch
from torch import Tensor

from .config import BACKGROUND, FOREGROUND, IGNORE_INDEX, GPPLConfig
from .gaussian import (GaussianMoments, _check_maps, cam_denominators,
                       coordinate_marginals, foreground_weights, gaussian_map,
                       moments_from_marginals, normalize_cams, paper_moments)
from .released import released_gaussian_prior

# Pixels per chunk on the CPU (8 maps of 256 x 256): 2 MiB of float32.
CPU_CHUNK_PIXELS = 8 * 256 * 256


def gaussian_prior(cams: Tensor,
                   cfg: GPPLConfig,
                   moments: Optional[GaussianMoments] = None,
                   out: Optional[Tensor] = None) -> Tensor:
    """The Gaussian prior of ``cfg.mode`` (before its max with the CAMs).

    Args:
        cams (Tensor): Normalised CAMs (N, H, W) in [0, 1].
        cfg (GPPLConfig): ``mode``, ``fg_reading`` and their parameters.
        moments (GaussianMoments, optional): The paper prior's moments when
            computed already (see :func:`paper_moments`).
        out (Tensor, optional): Buffer like ``cams`` for the result
            (``mode='paper'``).

    Returns:
        Tensor: Priors (N, H, W) in [0, 1].
    """
    if cfg.mode == 'paper':
        if moments is None:
            moments = paper_moments(cams, cfg.fg_reading, cfg.fg_reading_thr,
                                    cfg.var_eps, cfg.rho_eps)
        return gaussian_map(moments, cams.shape[-2:], cams.dtype, out=out)
    return released_gaussian_prior(cams, cfg.released_band,
                                   cfg.released_min_area,
                                   cfg.released_var_scale, cfg.var_eps,
                                   cfg.rho_eps)


def enhance_cams(cams: Tensor,
                 cfg: GPPLConfig,
                 moments: Optional[GaussianMoments] = None,
                 out: Optional[Tensor] = None) -> Tensor:
    """The Gaussian-enhanced CAMs, ``max(CAM, Gaussian prior)``.

    Args:
        cams (Tensor): Normalised CAMs (N, H, W) in [0, 1].
        cfg (GPPLConfig): ``mode``, ``fg_reading`` and the switches.
        moments (GaussianMoments, optional): See :func:`gaussian_prior`.
        out (Tensor, optional): See :func:`gaussian_prior`.

    Returns:
        Tensor: Enhanced maps (N, H, W) in [0, 1]; the CAMs themselves with
        ``use_gaussian=False``.
    """
    if not cfg.use_gaussian:
        return cams
    prior = gaussian_prior(cams, cfg, moments, out)
    enhanced = torch.maximum(prior, cams, out=prior)
    if cfg.mode == 'paper' and cfg.fg_reading == 'binarize':
        enhanced = torch.where(enhanced > cfg.fg_reading_thr,
                               enhanced.new_ones(()), enhanced)
    return enhanced


def double_threshold(maps: Tensor,
                     fg_thr: float = 0.5,
                     bg_thr: float = 0.004,
                     use_threshold: bool = True,
                     out: Optional[Tensor] = None) -> Tensor:
    """Foreground / background / ignore labels from two thresholds.

    ``maps >= fg_thr`` -> 1, ``maps < bg_thr`` -> 0, the rest -> 255.
    With ``use_threshold=False`` (Table 4 "w/o threshold") there is no
    ignore band: ``>= fg_thr`` -> 1, everything else -> 0.

    Args:
        maps (Tensor): Enhanced maps (N, H, W).
        fg_thr (float): Foreground threshold. Defaults to 0.5.
        bg_thr (float): Background threshold, ``<= fg_thr``. Defaults to
            0.004.
        use_threshold (bool): See above. Defaults to True.
        out (Tensor, optional): uint8 (N, H, W) tensor to fill.

    Returns:
        Tensor: uint8 labels (N, H, W) on the device of ``maps``.
    """
    if bg_thr > fg_thr:
        raise ValueError(f'bg_thr ({bg_thr}) must not exceed fg_thr '
                         f'({fg_thr})')
    if out is None:
        out = torch.empty(maps.shape, dtype=torch.uint8, device=maps.device)
    return _threshold_into(maps, fg_thr, bg_thr, use_threshold, out)


def _threshold_into(maps: Tensor,
                    fg_thr: float,
                    bg_thr: float,
                    use_threshold: bool,
                    out: Tensor,
                    scratch: Optional[Tensor] = None) -> Tensor:
    """:func:`double_threshold` into ``out`` (uint8), using ``scratch``
    (bool, like ``maps``) for the background mask when given."""
    # Boolean indexing (masked_fill) is ~50x slower than uint8 arithmetic
    # on CPUs, so the labels are computed from 0/1 masks. The fg mask is
    # written as bool into out's memory (a uint8 `out` would make torch.ge
    # compute a bool tensor and copy it): 1 = FOREGROUND, 0 = BACKGROUND.
    torch.ge(maps, fg_thr, out=out.view(torch.bool))
    if not use_threshold:
        return out
    background = torch.lt(maps, bg_thr, out=scratch).view(torch.uint8)
    # fg and bg are disjoint: 255 - 254 fg - 255 bg is 1 / 0 / 255, done
    # in place as -(254 fg + 255 bg) + 255 with uint8 wrap-around.
    out.mul_(IGNORE_INDEX - FOREGROUND)
    out.add_(background, alpha=IGNORE_INDEX - BACKGROUND)
    return out.neg_().add_(IGNORE_INDEX)


def gppl_labels(cams: Tensor,
                cfg: Optional[Union[GPPLConfig, Dict[str, Any]]] = None,
                normalize: bool = True,
                **overrides: Any) -> Tensor:
    """GPPL pseudo labels of a batch of CAMs (paper Sec. 3.4).

    ``normalize_cams`` (unless ``normalize=False``) -> Gaussian prior ->
    ``max(CAM, prior)`` -> double threshold. Batched and device-agnostic;
    only ``mode='released'`` loops over images (on the CPU).

    With ``mode='paper'`` the batch is walked twice (moments, then labels)
    in chunks of about ``CPU_CHUNK_PIXELS`` pixels on the CPU (one chunk
    elsewhere) through two reused buffers: fresh large tensors cost page
    faults, and this runs about twice as fast as whole-batch operations.

    Args:
        cams (Tensor): Non-negative CAMs (N, H, W) of one class each.
        cfg (GPPLConfig | dict, optional): Settings; defaults of
            :class:`GPPLConfig` when None.
        normalize (bool): Divide each CAM by its max (+1e-6) first. Pass
            False for maps in [0, 1] already (the GPPL hook normalises at
            the CAM's resolution, then resizes). Defaults to True.
        **overrides: Fields of :class:`GPPLConfig` to change.

    Returns:
        Tensor: uint8 labels (N, H, W): 1 foreground, 0 background,
        255 ignore.
    """
    cfg = GPPLConfig.build(cfg, **overrides)
    _check_maps(cams, 'cams')
    cams = cams.detach()  # labels have no gradient; out= needs no autograd
    if cams.shape[0] == 0 or not (cfg.use_gaussian and cfg.mode == 'paper'):
        if normalize:
            cams = normalize_cams(cams)
        return double_threshold(
            enhance_cams(cams, cfg), cfg.fg_thr, cfg.bg_thr, cfg.use_threshold)

    num = cams.shape[0]
    step = num
    if cams.device.type == 'cpu':
        step = min(num, max(1, CPU_CHUNK_PIXELS // cams[0].numel()))
    parts = [slice(start, start + step) for start in range(0, num, step)]
    denominators = cam_denominators(cams)[:, None, None] if normalize \
        else None
    buffer = cams.new_empty((step, ) + cams.shape[1:])

    def normalised(part: slice, writable: bool) -> Tensor:
        maps = cams[part]
        out = buffer[:maps.shape[0]]
        if denominators is not None:
            return torch.div(maps, denominators[part], out=out)
        return out.copy_(maps) if writable else maps

    # Pass 1: the moments, from the marginals of each chunk's weights.
    marginals = []
    for part in parts:
        weights = normalised(part, writable=True)
        if cfg.fg_reading == 'moments':
            foreground_weights(weights, cfg.fg_reading_thr, inplace=True)
        marginals.append(coordinate_marginals(weights))
    moments = moments_from_marginals(
        *(torch.cat(values) for values in zip(*marginals)), cfg.var_eps,
        cfg.rho_eps)

    # Pass 2: Gaussian, enhancement and thresholds, chunk by chunk.
    gauss = torch.empty_like(buffer)
    scratch = torch.empty(buffer.shape, dtype=torch.bool, device=cams.device)
    labels = torch.empty(cams.shape, dtype=torch.uint8, device=cams.device)
    for part in parts:
        maps = normalised(part, writable=False)
        size = maps.shape[0]
        enhanced = enhance_cams(
            maps, cfg, moments.take(part), out=gauss[:size])
        _threshold_into(enhanced, cfg.fg_thr, cfg.bg_thr, cfg.use_threshold,
                        labels[part], scratch[:size])
    return labels
