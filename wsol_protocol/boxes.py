"""Boxes ``(N, 4)`` as ``x0, y0, x1, y1``: arrays, checks and pairwise IoU.

Coordinates are kept exactly as the annotation files state them (no +1 / -1
convention is applied on reading); transforms treat them as continuous image
coordinates, in which pixel ``i`` covers ``[i, i + 1)``.

IoU comes in the two conventions in use:

- Continuous (``plus_one=False``): a box covers ``[x0, x1) x [y0, y1)``,
  area ``(x1 - x0) * (y1 - y0)``. SPOL's authors and the paper's metrics.
- Pixel-inclusive (``plus_one=True``): ``x1, y1`` are the last pixel
  *inside* the box, area ``(x1 - x0 + 1) * (y1 - y0 + 1)``. The WSOL
  protocol's reference evaluator (Choe et al., CVPR 2020).
"""
from typing import Optional, Sequence, Tuple

import numpy as np


def empty_boxes() -> np.ndarray:
    """A ``(0, 4)`` float32 array."""
    return np.zeros((0, 4), dtype=np.float32)


def as_boxes(boxes: Sequence[Sequence[float]]) -> np.ndarray:
    """Stack annotation boxes into a float32 ``(N, 4)`` array.

    Args:
        boxes (Sequence[Sequence[float]]): Boxes ``x0, y0, x1, y1``.

    Returns:
        np.ndarray: float32 ``(N, 4)``, ``(0, 4)`` if there is none.
    """
    if len(boxes) == 0:
        return empty_boxes()
    return np.asarray(boxes, dtype=np.float32).reshape(-1, 4)


def as_box_array(boxes, name: str = 'boxes') -> np.ndarray:
    """``boxes`` as a float64 ``(N, 4)`` array (a single box gives N=1).

    Args:
        boxes (array-like): ``(4,)`` or ``(N, 4)``.
        name (str): Used in the error message.

    Returns:
        np.ndarray: float64 ``(N, 4)``.
    """
    arr = np.asarray(boxes, dtype=np.float64)
    if arr.ndim == 1 and arr.size in (0, 4):
        arr = arr.reshape(-1, 4)
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f'{name} must have shape (N, 4) or (4,), '
                         f'got {arr.shape}')
    return arr


def xywh_to_xyxy(x: float, y: float, width: float,
                 height: float) -> Tuple[float, float, float, float]:
    """``(x, y, width, height)`` -> ``(x0, y0, x1, y1)``."""
    return x, y, x + width, y + height


def box_problem(box: Sequence[float],
                allow_zero_size: bool = False) -> Optional[str]:
    """Why a box is degenerate, or None if it is usable.

    Args:
        box (Sequence[float]): ``x0, y0, x1, y1``.
        allow_zero_size (bool): Accept boxes of zero width or height (the
            WSOL protocol's evaluator does; with the +1 pixel convention
            they cover one pixel column or row). Defaults to False: a box
            must have positive area.

    Returns:
        str | None: ``'x1 <= x0'`` / ``'y1 <= y0'`` (``'x1 < x0'`` /
        ``'y1 < y0'`` with ``allow_zero_size``) or None.
    """
    x0, y0, x1, y1 = box
    if allow_zero_size:
        if x1 < x0:
            return 'x1 < x0'
        if y1 < y0:
            return 'y1 < y0'
        return None
    if x1 <= x0:
        return 'x1 <= x0'
    if y1 <= y0:
        return 'y1 <= y0'
    return None


def box_outside(box: Sequence[float], shape: Optional[Tuple[int,
                                                            int]]) -> bool:
    """Whether a box reaches outside the image ``[0, w] x [0, h]``.

    Args:
        box (Sequence[float]): ``x0, y0, x1, y1``.
        shape (tuple[int, int], optional): Image ``(h, w)``; when None only
            negative coordinates count as outside.

    Returns:
        bool: True when some part of the box lies outside the image.
    """
    x0, y0, x1, y1 = box
    if x0 < 0 or y0 < 0:
        return True
    if shape is None:
        return False
    h, w = shape
    return x1 > w or y1 > h


def clip_box(box: Sequence[float],
             shape: Optional[Tuple[int, int]]) -> Tuple[float, ...]:
    """Clip a box to the image ``[0, w] x [0, h]``.

    Args:
        box (Sequence[float]): ``x0, y0, x1, y1``.
        shape (tuple[int, int], optional): Image ``(h, w)``; when None only
            the lower bound 0 is applied.

    Returns:
        tuple[float, ...]: The clipped ``x0, y0, x1, y1``.
    """
    hi_x = hi_y = np.inf
    if shape is not None:
        hi_y, hi_x = shape
    x0, y0, x1, y1 = box
    return (float(min(max(x0, 0.), hi_x)), float(min(max(y0, 0.), hi_y)),
            float(min(max(x1, 0.), hi_x)), float(min(max(y1, 0.), hi_y)))


def box_iou(boxes_a, boxes_b, plus_one: bool = False) -> np.ndarray:
    """IoU of every box of ``boxes_a`` with every box of ``boxes_b``.

    A pair whose union is not positive (degenerate boxes) gets IoU 0, as in
    the protocol's reference code. With integer coordinates every quantity
    is an exact integer in float64, so the result equals the reference
    evaluator's bit for bit.

    Args:
        boxes_a (array-like): ``(Na, 4)`` or ``(4,)``.
        boxes_b (array-like): ``(Nb, 4)`` or ``(4,)``.
        plus_one (bool): Pixel-inclusive convention (see module docstring).
            Defaults to False (continuous).

    Returns:
        np.ndarray: float64 ``(Na, Nb)``.
    """
    a = as_box_array(boxes_a, 'boxes_a')[:, None, :]
    b = as_box_array(boxes_b, 'boxes_b')[None, :, :]
    one = 1.0 if plus_one else 0.0
    inter_w = np.maximum(
        0.0, np.minimum(a[..., 2], b[..., 2]) -
        np.maximum(a[..., 0], b[..., 0]) + one)
    inter_h = np.maximum(
        0.0, np.minimum(a[..., 3], b[..., 3]) -
        np.maximum(a[..., 1], b[..., 1]) + one)
    inter = inter_w * inter_h
    area_a = (a[..., 2] - a[..., 0] + one) * (a[..., 3] - a[..., 1] + one)
    area_b = (b[..., 2] - b[..., 0] + one) * (b[..., 3] - b[..., 1] + one)
    union = area_a + area_b - inter
    valid = union > 0
    return np.where(valid, inter / np.where(valid, union, 1.0), 0.0)


def rescale_boxes_truncate(boxes, image_size: Tuple[float, float],
                           resize_size: Tuple[float, float] = (224, 224)
                           ) -> np.ndarray:
    """Rescale boxes to a resized image, truncating to int (the protocol).

    Each coordinate becomes ``int(float(x) * new_w / w)`` (``y`` with the
    heights), the operations in the protocol's reference order, so the
    result equals its ``resize_bbox`` exactly.

    Args:
        boxes (array-like): ``(N, 4)`` or ``(4,)``, non-negative.
        image_size (tuple): ``(w, h)`` of the image the boxes are in.
        resize_size (tuple): ``(w, h)`` to rescale to. Defaults to 224x224.

    Returns:
        np.ndarray: int64 ``(N, 4)``.
    """
    boxes = as_box_array(boxes)
    if (boxes < 0).any():
        raise ValueError('box coordinates must be non-negative')
    w, h = (float(v) for v in image_size)
    new_w, new_h = (float(v) for v in resize_size)
    if w <= 0 or h <= 0:
        raise ValueError(f'image size must be positive, got {image_size}')
    scaled = np.empty_like(boxes)
    scaled[:, 0::2] = boxes[:, 0::2] * new_w / w
    scaled[:, 1::2] = boxes[:, 1::2] * new_h / h
    return np.trunc(scaled).astype(np.int64)
