"""Pairwise IoU of boxes ``x0, y0, x1, y1`` in the two conventions in use.

- Continuous (``plus_one=False``): a box covers ``[x0, x1) x [y0, y1)``,
  area ``(x1 - x0) * (y1 - y0)``. SPOL's authors and the paper's metrics.
- Pixel-inclusive (``plus_one=True``): ``x1, y1`` are the last pixel
  *inside* the box, area ``(x1 - x0 + 1) * (y1 - y0 + 1)``. The WSOL
  protocol's reference evaluator (Choe et al., CVPR 2020).
"""
import numpy as np


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
