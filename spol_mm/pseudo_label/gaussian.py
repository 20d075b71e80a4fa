"""The Gaussian prior of GPPL (paper Eq. 5-6) as batched tensor maths.

Every function takes a batch of maps ``(N, H, W)`` and works on any device.
Coordinates are pixel indices: ``x`` is the column, ``y`` the row, pixel
centres at ``0 .. W-1`` / ``0 .. H-1``.
"""
from typing import NamedTuple, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor

CAM_EPS = 1e-6  # the authors divide a CAM by ``max + 1e-6``
EXP_FLOOR = -80.  # smallest exponent of the Gaussian: exp(-80) ~ 1.8e-35


class GaussianMoments(NamedTuple):
    """Moments of a batch of weight maps, one value per map (shape (N,)).

    ``valid`` is False for a map whose weights are all zero: its mean is
    the image centre, its variances ``var_eps``, ``rho`` 0, and its
    Gaussian all zero.
    """
    mu_x: Tensor
    mu_y: Tensor
    var_x: Tensor
    var_y: Tensor
    rho: Tensor
    valid: Tensor

    def take(self, index: Union[slice, Tensor]) -> 'GaussianMoments':
        """The moments of the maps at ``index``."""
        return GaussianMoments(*(value[index] for value in self))


def _check_maps(maps: Tensor, name: str) -> None:
    if not isinstance(maps, Tensor) or maps.dim() != 3:
        shape = tuple(maps.shape) if isinstance(maps, Tensor) else type(maps)
        raise ValueError(f'{name} must be a tensor of shape (N, H, W), got '
                         f'{shape}')
    if not maps.is_floating_point():
        raise ValueError(f'{name} must be a floating point tensor, got '
                         f'{maps.dtype}')


def _indices(mask: Tensor) -> list:
    return torch.nonzero(mask).flatten().tolist()


def cam_denominators(cams: Tensor, eps: float = CAM_EPS) -> Tensor:
    """``max + eps`` of each CAM, after checking the CAMs are usable.

    Args:
        cams (Tensor): Non-negative maps (N, H, W) (CAMs are ReLU outputs).
        eps (float): Added to the maximum. Defaults to 1e-6.

    Returns:
        Tensor: Shape (N,), the dtype of ``cams``.

    Raises:
        ValueError: A map holds NaN, inf or negative values.
    """
    _check_maps(cams, 'cams')
    # amax / amin propagate NaN; two reductions beat one aminmax on CPU.
    high = cams.amax((1, 2))
    bad = ~torch.isfinite(high)
    if bool(bad.any()):
        raise ValueError('cams contain NaN or inf values (image(s) '
                         f'{_indices(bad)} of the batch)')
    negative = cams.amin((1, 2)) < 0
    if bool(negative.any()):
        raise ValueError('cams must be non-negative (ReLU outputs); image(s) '
                         f'{_indices(negative)} of the batch have negative '
                         'values')
    return high + eps


def normalize_cams(cams: Tensor,
                   eps: float = CAM_EPS,
                   out: Optional[Tensor] = None) -> Tensor:
    """Divide each CAM by its maximum (+ ``eps``), as the authors do.

    An all-zero CAM stays all zero.

    Args:
        cams (Tensor): Non-negative maps (N, H, W) (CAMs are ReLU outputs).
        eps (float): Added to the maximum. Defaults to 1e-6.
        out (Tensor, optional): Where to write the result.

    Returns:
        Tensor: Maps in [0, 1) of the same shape and dtype.

    Raises:
        ValueError: A map holds NaN, inf or negative values.
    """
    if isinstance(cams, Tensor) and cams.dim() == 3 and cams.shape[0] == 0:
        return cams.clone()
    return torch.div(cams, cam_denominators(cams, eps)[:, None, None], out=out)


def coordinate_marginals(weights: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """The three sums over the maps that all the moments need.

    Args:
        weights (Tensor): Non-negative weights (N, H, W).

    Returns:
        tuple[Tensor]: ``col_mass`` (N, W), the sum over rows;
        ``row_mass`` (N, H), the sum over columns; ``row_x`` (N, H),
        ``sum_x w(x, y) (x - (W - 1) / 2)``. Dtype of ``weights``.
    """
    _check_maps(weights, 'weights')
    width = weights.shape[-1]
    xs = torch.arange(
        width, device=weights.device, dtype=weights.dtype) - (width - 1) / 2
    return weights.sum(1), weights.sum(2), weights @ xs


def moments_from_marginals(col_mass: Tensor,
                           row_mass: Tensor,
                           row_x: Tensor,
                           var_eps: float = 1. / 12,
                           rho_eps: float = 1e-3) -> GaussianMoments:
    """Weighted mean, variances and correlation from the marginals.

    See :func:`weighted_moments`; the arguments are the outputs of
    :func:`coordinate_marginals`.

    Args:
        col_mass (Tensor): (N, W).
        row_mass (Tensor): (N, H).
        row_x (Tensor): (N, H).
        var_eps (float): Variance floor in px^2. Defaults to 1/12.
        rho_eps (float): Correlation margin. Defaults to 1e-3.

    Returns:
        GaussianMoments: Tensors of shape (N,), float64 (float32 on MPS).
    """
    (_, width), (_, height) = col_mass.shape, row_mass.shape
    device = col_mass.device
    dtype = torch.float32 if device.type == 'mps' else torch.float64
    # Centred coordinates keep E[x^2] - mu^2 well conditioned.
    cx, cy = (width - 1) / 2, (height - 1) / 2
    xs = torch.arange(width, device=device, dtype=dtype) - cx
    ys = torch.arange(height, device=device, dtype=dtype) - cy
    col_mass, row_mass = col_mass.to(dtype), row_mass.to(dtype)
    row_x = row_x.to(dtype)

    total = col_mass.sum(1)
    valid = total > 0
    safe_total = torch.where(valid, total, torch.ones_like(total))
    mu_x = (col_mass @ xs) / safe_total
    mu_y = (row_mass @ ys) / safe_total
    var_x = (col_mass @ xs.square()) / safe_total - mu_x.square()
    var_y = (row_mass @ ys.square()) / safe_total - mu_y.square()
    cov = (row_x @ ys) / safe_total - mu_x * mu_y
    var_x = var_x.clamp(min=var_eps)
    var_y = var_y.clamp(min=var_eps)
    rho = (cov / (var_x * var_y).sqrt()).clamp(-1 + rho_eps, 1 - rho_eps)

    # All-zero maps: documented placeholders (their Gaussian is zeroed).
    zero = torch.zeros_like(total)
    mu_x = torch.where(valid, mu_x, zero) + cx
    mu_y = torch.where(valid, mu_y, zero) + cy
    var_x = torch.where(valid, var_x, zero + var_eps)
    var_y = torch.where(valid, var_y, zero + var_eps)
    rho = torch.where(valid, rho, zero)
    return GaussianMoments(mu_x, mu_y, var_x, var_y, rho, valid)


def weighted_moments(weights: Tensor,
                     var_eps: float = 1. / 12,
                     rho_eps: float = 1e-3) -> GaussianMoments:
    """CAM-weighted mean, variances and correlation of the pixel coordinates.

    With ``w`` the weights, ``mu_x = sum(w x) / sum(w)``, ``var_x =
    sum(w (x - mu_x)^2) / sum(w)``, ``rho = cov_xy / (sigma_x sigma_y)``
    (paper Sec. 3.4). Degenerate maps give finite values:

    - variances are floored at ``var_eps`` px^2 (a single active pixel, or
      a line, has zero variance along some axis);
    - ``rho`` is clamped to ``+-(1 - rho_eps)`` (collinear pixels give 1);
    - all-zero weights give ``valid=False`` (see :class:`GaussianMoments`).

    Only three passes over the maps (:func:`coordinate_marginals`); the
    rest runs on the (N, H) / (N, W) marginals in float64.

    Args:
        weights (Tensor): Non-negative weights (N, H, W).
        var_eps (float): Variance floor in px^2. Defaults to 1/12.
        rho_eps (float): Correlation margin. Defaults to 1e-3.

    Returns:
        GaussianMoments: Tensors of shape (N,), float64 (float32 on MPS).
    """
    return moments_from_marginals(*coordinate_marginals(weights), var_eps,
                                  rho_eps)


def scale_moments(moments: GaussianMoments,
                  factor: float,
                  var_eps: float = 1. / 12) -> GaussianMoments:
    """Multiply the variances (and so the covariance) by ``factor``.

    ``rho`` is unchanged: the released code divides variances and
    covariance by the same 10. Variances stay floored at ``var_eps``.

    Args:
        moments (GaussianMoments): The moments.
        factor (float): Multiplier, e.g. ``1 / 10``.
        var_eps (float): Variance floor in px^2.

    Returns:
        GaussianMoments: The narrower (or wider) moments.
    """
    return moments._replace(
        var_x=(moments.var_x * factor).clamp(min=var_eps),
        var_y=(moments.var_y * factor).clamp(min=var_eps))


def gaussian_map(moments: GaussianMoments,
                 size: Tuple[int, int],
                 dtype: torch.dtype = torch.float32,
                 out: Optional[Tensor] = None) -> Tensor:
    """The 2-D Gaussian of Eq. 6, scaled so that its peak is 1.

    ``exp(-Theta / (2 (1 - rho^2)))`` with Theta of Eq. 5 (the
    ``1 / (2 pi sigma_x sigma_y sqrt(1 - rho^2))`` factor dropped). Maps of
    invalid moments are all zero; elsewhere the map is floored at
    ``exp(EXP_FLOOR)`` ~ 1.8e-35 (far below any threshold).

    Args:
        moments (GaussianMoments): Per-map moments, tensors of shape (N,).
        size (tuple[int, int]): Output ``(H, W)``.
        dtype (torch.dtype): Output dtype. Defaults to float32.
        out (Tensor, optional): (N, H, W) tensor of ``dtype`` to fill.

    Returns:
        Tensor: Maps (N, H, W) in [0, 1].
    """
    height, width = size
    device = moments.mu_x.device
    work = moments.mu_x.dtype
    # Scale the coordinates so that the exponent is
    # -(zx^2 + zy^2 - 2 rho zx zy) with zx = (x - mu_x) / (sigma_x k),
    # k = sqrt(2 (1 - rho^2)).
    k = (2 * (1 - moments.rho.square())).sqrt()
    zx = (torch.arange(width, device=device, dtype=work)[None] -
          moments.mu_x[:, None]) / (moments.var_x.sqrt() * k)[:, None]
    zy = (torch.arange(height, device=device, dtype=work)[None] -
          moments.mu_y[:, None]) / (moments.var_y.sqrt() * k)[:, None]
    cross = ((2 * moments.rho)[:, None] * zy).to(dtype)
    zx, zy = zx.to(dtype), zy.to(dtype)
    # Four in-place passes over (N, H, W): broadcast sum, cross term,
    # clamp, exp.
    gauss = torch.sub(
        zx.square().neg()[:, None, :], zy.square()[:, :, None], out=out)
    gauss.addcmul_(cross[:, :, None], zx[:, None, :])
    # exp() of very negative values (denormal or zero results) takes a slow
    # path on CPUs (~40x); values below exp(-80) ~ 1.8e-35 matter nowhere.
    gauss.clamp_(min=EXP_FLOOR).exp_()
    if not bool(moments.valid.all()):
        gauss.mul_(moments.valid.to(dtype)[:, None, None])
    return gauss


def foreground_weights(cams: Tensor,
                       thr: float,
                       inplace: bool = False) -> Tensor:
    """The CAM where it is > ``thr``, zero elsewhere.

    The ``'moments'`` reading of the paper's "values larger than 0.7 as the
    foreground": only those pixels weigh in the moments.

    Args:
        cams (Tensor): Normalised CAMs (N, H, W).
        thr (float): The threshold (0.7).
        inplace (bool): Overwrite ``cams``. Defaults to False.

    Returns:
        Tensor: Weights of the same shape.
    """
    # One fused pass: x if x > thr else 0.
    return F.threshold(cams, thr, 0., inplace=inplace)


def paper_moments(cams: Tensor,
                  fg_reading: str = 'off',
                  fg_reading_thr: float = 0.7,
                  var_eps: float = 1. / 12,
                  rho_eps: float = 1e-3) -> GaussianMoments:
    """The moments of the paper's Gaussian prior (Eq. 5).

    Args:
        cams (Tensor): Normalised CAMs (N, H, W).
        fg_reading (str): ``'moments'`` weighs only pixels > ``fg_reading_thr``
            (see :class:`GPPLConfig`); any other value weighs all pixels.
        fg_reading_thr (float): The paper's 0.7.
        var_eps (float): Variance floor in px^2.
        rho_eps (float): Correlation margin.

    Returns:
        GaussianMoments: One set per CAM.
    """
    weights = foreground_weights(cams, fg_reading_thr) \
        if fg_reading == 'moments' else cams
    return weighted_moments(weights, var_eps, rho_eps)


def paper_gaussian_prior(cams: Tensor,
                         fg_reading: str = 'off',
                         fg_reading_thr: float = 0.7,
                         var_eps: float = 1. / 12,
                         rho_eps: float = 1e-3) -> Tensor:
    """One peak-1 Gaussian per CAM from its weighted moments (Eq. 5-6).

    Args:
        cams (Tensor): Normalised CAMs (N, H, W).
        fg_reading (str): See :func:`paper_moments`.
        fg_reading_thr (float): The paper's 0.7.
        var_eps (float): Variance floor in px^2.
        rho_eps (float): Correlation margin.

    Returns:
        Tensor: Gaussians (N, H, W) in the dtype of ``cams``.
    """
    moments = paper_moments(cams, fg_reading, fg_reading_thr, var_eps, rho_eps)
    return gaussian_map(moments, cams.shape[-2:], cams.dtype)
