"""Small pure tensor functions behind SPOL's modules."""
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

FUSION_MODES = ('mul', 'add', 'concat')


def fuse_feature_maps(maps: Sequence[Tensor], mode: str = 'mul') -> Tensor:
    """Fuse same-sized feature maps (paper Eq. 1-2).

    With ``'mul'`` the gradient reaching each level is scaled by the product
    of the other levels (Eq. 2), which is what couples shallow and deep
    features; ``'add'`` and ``'concat'`` are the Table 2 ablations.

    Args:
        maps (Sequence[Tensor]): Maps of shape (N, C, H, W), same size for
            ``'mul'`` / ``'add'``; same N, H, W for ``'concat'``.
        mode (str): ``'mul'``, ``'add'`` or ``'concat'``.

    Returns:
        Tensor: (N, C, H, W), or (N, sum(C), H, W) for ``'concat'``.
    """
    if mode not in FUSION_MODES:
        raise ValueError(f'fusion must be one of {FUSION_MODES}, got {mode!r}')
    if mode == 'concat':
        return torch.cat(list(maps), dim=1)
    fused = maps[0]
    for feat in maps[1:]:
        fused = fused * feat if mode == 'mul' else fused + feat
    return fused


def resize_to(x: Tensor, size: Sequence[int], mode: str = 'bilinear',
              align_corners: bool = True) -> Tensor:
    """Resize ``x`` to ``size``; a no-op when it already has that size."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    align = align_corners if mode in ('linear', 'bilinear', 'bicubic') \
        else None
    return F.interpolate(x, size=tuple(size), mode=mode, align_corners=align)


def cam_to_logits(cam: Tensor) -> Tensor:
    """Class logits of a class activation map: its spatial mean.

    Args:
        cam (Tensor): (N, C, H, W).

    Returns:
        Tensor: (N, C).
    """
    return cam.mean(dim=(2, 3))


def select_class_maps(cam: Tensor, labels: Tensor) -> Tensor:
    """Pick the map of one class per image.

    The one rule for "the CAM of this class": the CAM head's attached map
    and the GPPL hook's ground-truth CAM both come from here.

    Args:
        cam (Tensor): (N, C, H, W).
        labels (Tensor): (N,) class index per image.

    Returns:
        Tensor: (N, H, W).
    """
    index = labels.long().view(-1, 1, 1, 1).expand(-1, 1, *cam.shape[-2:])
    return cam.gather(1, index).squeeze(1)


def min_max_normalize(maps: Tensor, eps: float = 1e-12) -> Tensor:
    """Scale each map of (..., H, W) to [0, 1]; a constant map becomes 0.

    This is the normalisation the WSOL protocol applies to CAMs.

    Args:
        maps (Tensor): (..., H, W).
        eps (float): Below this range a map counts as constant.

    Returns:
        Tensor: Same shape, values in [0, 1].
    """
    flat = maps.flatten(-2)
    low = flat.min(-1, keepdim=True).values
    span = flat.max(-1, keepdim=True).values - low
    out = torch.where(span > eps, (flat - low) / span.clamp_min(eps),
                      torch.zeros_like(flat))
    return out.view_as(maps)


def centred_pyramid_map(height: int,
                        width: int,
                        device=None,
                        dtype: torch.dtype = torch.float32) -> Tensor:
    """A centred "pyramid": ``1 - max(|x - cx| / (W/2), |y - cy| / (H/2))``.

    Evaluated at the pixel centres (``x = j + 0.5``, ``cx = W / 2``) and
    clipped to [0, 1]. ``map > t`` is the centred box of side ``(1 - t)``
    times the image (to the pixel), so a threshold picks a centred box and
    ``t`` near 0 the whole image (every pixel is above 0). The trivial
    baseline's score map (:class:`~spol_mm.models.TrivialBoxLocalizer`).

    Args:
        height (int): H.
        width (int): W.
        device (optional): Where to make it.
        dtype (torch.dtype): Its dtype. Defaults to float32.

    Returns:
        Tensor: (H, W) in [0, 1].
    """
    if height < 1 or width < 1:
        raise ValueError(f'map size must be positive, got {height}x{width} '
                         '(h x w)')

    def axis(n: int) -> Tensor:
        centres = torch.arange(n, device=device, dtype=torch.float64) + 0.5
        return (centres - n / 2).abs() / (n / 2)

    dist = torch.maximum(axis(height)[:, None], axis(width)[None, :])
    return (1 - dist).clamp(0, 1).to(dtype)
