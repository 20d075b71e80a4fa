"""Bringing a network-input score map to the protocol's frame.

The protocol evaluates the map of the WHOLE image resized to 224x224, with
the GT boxes of the original image rescaled to 224 by int() truncation.
A map in the network-input frame qualifies when the pipeline only resized
(and maybe flipped) the image; after a crop the map misses part of the
image, and the protocol's numbers cannot be computed without a projection.
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from .box_frames import scale_pair

CROP_MODES = ('error', 'paste')


def crop_covers_image(crop_bbox: Optional[Sequence[float]],
                      ori_shape: Tuple[int, int],
                      scale_factor=None) -> bool:
    """Whether a recorded crop kept the whole (resized) image.

    Args:
        crop_bbox (Sequence[float], optional): ``x0, y0, x1, y1`` in the
            resized frame; None = no crop.
        ori_shape (tuple[int, int]): ``(h, w)`` of the original image.
        scale_factor: ``(w_scale, h_scale)`` of the resize (None = 1).

    Returns:
        bool: True without a crop or when the crop is the whole image.
    """
    if crop_bbox is None:
        return True
    sw, sh = scale_pair(1.0 if scale_factor is None else scale_factor)
    h, w = ori_shape[:2]
    x0, y0, x1, y1 = (float(v) for v in np.ravel(crop_bbox)[:4])
    # Half a pixel of slack for the rounding of the resized size.
    return (x0 <= 0 and y0 <= 0 and x1 >= w * sw - 0.5
            and y1 >= h * sh - 0.5)


def unflip_map(score_map: np.ndarray, direction: str = 'horizontal'
               ) -> np.ndarray:
    """Undo mmcv's flip of a ``(H, W)`` map."""
    if direction == 'horizontal':
        return score_map[:, ::-1]
    if direction == 'vertical':
        return score_map[::-1]
    if direction == 'diagonal':
        return score_map[::-1, ::-1]
    raise ValueError(f'unknown flip direction {direction!r}')


def resize_map(score_map: np.ndarray, size: Tuple[int, int],
               nearest: bool = False) -> np.ndarray:
    """``cv2.resize`` to ``size = (w, h)`` (bilinear, or nearest for masks);
    the map itself when it already has that size."""
    if score_map.shape[:2] == (size[1], size[0]):
        return score_map
    interp = cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR
    work = score_map.view(np.uint8) if score_map.dtype == np.bool_ \
        else score_map
    out = cv2.resize(np.ascontiguousarray(work), tuple(int(v) for v in size),
                     interpolation=interp)
    return out.view(np.bool_) if score_map.dtype == np.bool_ else out


def paste_crop_map(score_map: np.ndarray, ori_shape: Tuple[int, int],
                   crop_bbox: Sequence[float], scale_factor=None,
                   size: int = 224) -> np.ndarray:
    """Project an (unflipped) crop's map into the whole image's frame.

    The crop's rectangle is mapped to the original image (``crop_bbox /
    scale_factor``), then to ``size x size``; the map is resized into it
    (bilinear) and everything outside is 0. An approximation for pipelines
    that crop, NOT the protocol's numbers.

    Args:
        score_map (np.ndarray): ``(H, W)`` map of the crop, unflipped.
        ori_shape (tuple[int, int]): ``(h, w)`` of the original image.
        crop_bbox (Sequence[float]): The crop in the resized frame.
        scale_factor: ``(w_scale, h_scale)`` of the resize.
        size (int): Side of the protocol frame. Defaults to 224.

    Returns:
        np.ndarray: float32 ``(size, size)``.
    """
    sw, sh = scale_pair(1.0 if scale_factor is None else scale_factor)
    h, w = ori_shape[:2]
    x0, y0, x1, y1 = (float(v) for v in np.ravel(crop_bbox)[:4])
    fx, fy = size / (w * sw), size / (h * sh)
    left, right = (int(np.clip(round(v * fx), 0, size)) for v in (x0, x1))
    top, bottom = (int(np.clip(round(v * fy), 0, size)) for v in (y0, y1))
    out = np.zeros((size, size), dtype=np.float32)
    if right > left and bottom > top:
        out[top:bottom, left:right] = resize_map(
            np.asarray(score_map, dtype=np.float32),
            (right - left, bottom - top))
    return out
