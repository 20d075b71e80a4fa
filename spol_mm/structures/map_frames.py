"""Moving score maps and masks between the network input, the original
image and the protocol's frame.

The protocol evaluates the map of the WHOLE image resized to 224x224. A map
in the network-input frame qualifies when the pipeline only resized (and
maybe flipped) the image; after a crop the map misses part of the image:
:func:`paste_crop_map` projects it (an approximation), and
:func:`score_map_to_original` pastes it into the user's image, 0 elsewhere.
See :mod:`.box_frames` for what the pipelines record.
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from .box_frames import input_scale, scale_pair


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
    """Undo mmcv's flip of a ``(H, W)`` map (a flip is its own inverse).

    Args:
        score_map (np.ndarray): ``(H, W)`` map in the flipped frame.
        direction (str): ``'horizontal'``, ``'vertical'`` or
            ``'diagonal'``.

    Returns:
        np.ndarray: A flipped view of ``score_map``.
    """
    if direction == 'horizontal':
        return score_map[:, ::-1]
    if direction == 'vertical':
        return score_map[::-1]
    if direction == 'diagonal':
        return score_map[::-1, ::-1]
    raise ValueError(f'unknown flip direction {direction!r}')


def resize_map(score_map: np.ndarray, size: Tuple[int, int],
               nearest: bool = False) -> np.ndarray:
    """``cv2.resize`` to ``size``, bilinear (or nearest for masks).

    Args:
        score_map (np.ndarray): ``(H, W)`` map (bool masks are allowed).
        size (tuple[int, int]): ``(w, h)`` to resize to.
        nearest (bool): Nearest neighbour instead of bilinear.

    Returns:
        np.ndarray: ``(h, w)``; the map itself when it already has that
        size.
    """
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


def score_map_to_original(score_map: np.ndarray, meta: dict) -> np.ndarray:
    """A score map of the input frame on the original image's pixels.

    Unflipped, pasted at its crop in the resized image (0 outside the
    crop), then resized bilinearly to ``ori_shape``.

    Args:
        score_map (np.ndarray): ``(h, w)`` map of the input frame.
        meta (dict): ``ori_shape`` and what the pipeline recorded
            (``img_shape``, ``scale_factor``, ``crop_bbox``, ``flip``,
            ``flip_direction``).

    Returns:
        np.ndarray: float32 ``(H, W)`` of the original image.
    """
    score_map = np.asarray(score_map, dtype=np.float32)
    if meta.get('flip'):
        score_map = unflip_map(score_map,
                               meta.get('flip_direction') or 'horizontal')
    oh, ow = (int(v) for v in meta['ori_shape'][:2])
    crop = meta.get('crop_bbox')
    if crop is not None:
        sw, sh = input_scale(meta) or (1., 1.)
        rh, rw = int(round(oh * sh)), int(round(ow * sw))
        x0, y0 = int(crop[0]), int(crop[1])
        canvas = np.zeros((rh, rw), dtype=np.float32)
        h = min(score_map.shape[0], rh - y0)
        w = min(score_map.shape[1], rw - x0)
        canvas[y0:y0 + h, x0:x0 + w] = score_map[:h, :w]
        score_map = canvas
    if score_map.shape != (oh, ow):
        score_map = cv2.resize(np.ascontiguousarray(score_map), (ow, oh),
                               interpolation=cv2.INTER_LINEAR)
    return score_map
