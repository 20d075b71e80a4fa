"""Small pure numpy functions on boxes ``(N, 4)`` as ``x0, y0, x1, y1``.

Coordinates are kept exactly as the annotation files state them (no +1 / -1
convention is applied here); transforms treat them as continuous image
coordinates, in which pixel ``i`` covers ``[i, i + 1)``.
"""
from typing import Optional, Sequence, Tuple

import numpy as np


def empty_boxes() -> np.ndarray:
    """A ``(0, 4)`` float32 array."""
    return np.zeros((0, 4), dtype=np.float32)


def as_boxes(boxes: Sequence[Sequence[float]]) -> np.ndarray:
    """Stack boxes into a float32 ``(N, 4)`` array (``(0, 4)`` if none)."""
    if len(boxes) == 0:
        return empty_boxes()
    return np.asarray(boxes, dtype=np.float32).reshape(-1, 4)


def xywh_to_xyxy(x: float, y: float, width: float,
                 height: float) -> Tuple[float, float, float, float]:
    """``(x, y, width, height)`` -> ``(x0, y0, x1, y1)``."""
    return x, y, x + width, y + height


def box_problem(box: Sequence[float]) -> Optional[str]:
    """Why a box is degenerate, or None if it has positive area.

    Args:
        box (Sequence[float]): ``x0, y0, x1, y1``.

    Returns:
        str | None: ``'x1 <= x0'``, ``'y1 <= y0'`` or None.
    """
    x0, y0, x1, y1 = box
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


def crop_boxes(boxes: np.ndarray, crop_bbox: np.ndarray) -> np.ndarray:
    """Move boxes into a crop's frame and clip them to it.

    A box that falls outside the crop becomes zero-width or zero-height; it
    is kept so that the boxes stay aligned with ``ori_gt_bboxes``.

    Args:
        boxes (np.ndarray): ``(N, 4)`` boxes in the frame before the crop.
        crop_bbox (np.ndarray): ``x0, y0, x1, y1`` of the crop in that frame,
            ``x1, y1`` exclusive (``x1 - x0`` = crop width).

    Returns:
        np.ndarray: ``(N, 4)`` float32 boxes in the crop's frame.
    """
    x0, y0, x1, y1 = (float(v) for v in crop_bbox)
    out = np.asarray(boxes, dtype=np.float32).reshape(-1, 4).copy()
    out[:, 0::2] = np.clip(out[:, 0::2] - x0, 0, x1 - x0)
    out[:, 1::2] = np.clip(out[:, 1::2] - y0, 0, y1 - y0)
    return out
