"""Moving boxes between the original image, the network input and the
protocol's 224x224 frame.

The WSOL pipelines apply, in this order, mmcv's ``Resize`` (records
``scale_factor = (w_scale, h_scale)``), a crop (records ``crop_bbox =
x0, y0, x1, y1`` in the resized frame, ``x1, y1`` exclusive) and a flip
(``flip``, ``flip_direction``, done in the final frame of shape
``img_shape``). Boxes use continuous coordinates (pixel ``i`` covers
``[i, i + 1)``), as mmcv moves them.
"""
from typing import Optional, Sequence, Tuple

import numpy as np

from .boxes import as_box_array


def scale_pair(value) -> Tuple[float, float]:
    """``(w_scale, h_scale)`` from one number or a pair.

    Args:
        value (float | Sequence[float]): mmcv's ``scale_factor``.

    Returns:
        tuple[float, float]: ``(w_scale, h_scale)``.
    """
    values = np.ravel(np.asarray(value, dtype=np.float64))
    if values.size == 1:
        return float(values[0]), float(values[0])
    if values.size != 2:
        raise ValueError(f'scale_factor must be one or two numbers, '
                         f'got {value!r}')
    return float(values[0]), float(values[1])


def unflip_boxes(boxes: np.ndarray, img_shape: Tuple[int, int],
                 direction: str = 'horizontal') -> np.ndarray:
    """Undo mmcv's ``RandomFlip`` of boxes (a flip is its own inverse).

    Args:
        boxes (np.ndarray): ``(N, 4)`` in the flipped frame.
        img_shape (tuple[int, int]): ``(h, w)`` of that frame.
        direction (str): ``'horizontal'``, ``'vertical'`` or
            ``'diagonal'``.

    Returns:
        np.ndarray: float64 ``(N, 4)``.
    """
    if direction not in ('horizontal', 'vertical', 'diagonal'):
        raise ValueError(f'unknown flip direction {direction!r}')
    boxes = as_box_array(boxes)
    h, w = img_shape[:2]
    out = boxes.copy()
    if direction in ('horizontal', 'diagonal'):
        out[:, 0], out[:, 2] = w - boxes[:, 2], w - boxes[:, 0]
    if direction in ('vertical', 'diagonal'):
        out[:, 1], out[:, 3] = h - boxes[:, 3], h - boxes[:, 1]
    return out


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


def box_to_original_frame(boxes,
                          img_shape: Optional[Tuple[int, int]] = None,
                          scale_factor: Optional[Sequence[float]] = None,
                          crop_bbox: Optional[Sequence[float]] = None,
                          flip: bool = False,
                          flip_direction: Optional[str] = None
                          ) -> np.ndarray:
    """Map boxes from the network-input frame back to the original image.

    Inverts ``Resize -> crop -> flip`` (see the module docstring): unflip in
    the ``img_shape`` frame, add the crop's top-left corner, divide by
    ``scale_factor``. Every step is skipped when its key is absent.

    Args:
        boxes (array-like): ``(N, 4)`` or ``(4,)`` in the input frame.
        img_shape (tuple[int, int], optional): ``(h, w)`` of the input;
            needed only when ``flip``.
        scale_factor (Sequence[float], optional): ``(w_scale, h_scale)``
            of mmcv's ``Resize`` (one float for both).
        crop_bbox (Sequence[float], optional): The crop ``x0, y0, x1, y1``
            in the resized frame.
        flip (bool): Whether the input was flipped.
        flip_direction (str, optional): Defaults to ``'horizontal'``.

    Returns:
        np.ndarray: float32 ``(N, 4)`` in original-image pixels.
    """
    out = as_box_array(boxes)
    if flip:
        if img_shape is None:
            raise ValueError('img_shape is needed to undo a flip')
        out = unflip_boxes(out, img_shape, flip_direction or 'horizontal')
    if crop_bbox is not None:
        x0, y0 = float(crop_bbox[0]), float(crop_bbox[1])
        out = out + np.array([x0, y0, x0, y0])
    if scale_factor is not None:
        sw, sh = scale_pair(scale_factor)
        out = out / np.array([sw, sh, sw, sh])
    return out.astype(np.float32)


def input_scale(meta: dict) -> Optional[Tuple[float, float]]:
    """``(w_scale, h_scale)`` from the input frame to the resized image.

    Args:
        meta (dict): ``ori_shape`` and what the pipeline recorded
            (``img_shape``, ``scale_factor``, ``crop_bbox``).

    Returns:
        tuple[float, float] | None: The recorded ``scale_factor`` when
        there is one; without it and without a crop, the ratio of
        ``img_shape`` to ``ori_shape``; else None (1).
    """
    if meta.get('scale_factor') is not None:
        return scale_pair(meta['scale_factor'])
    if meta.get('crop_bbox') is None and meta.get('img_shape') is not None:
        (h, w), (oh, ow) = meta['img_shape'][:2], meta['ori_shape'][:2]
        return w / ow, h / oh
    return None


def boxes_to_original(boxes, meta: dict) -> np.ndarray:
    """Boxes of the input frame in original-image pixels, clipped to it.

    Args:
        boxes (array-like): ``(N, 4)`` ``x0, y0, x1, y1`` in the input frame.
        meta (dict): ``ori_shape`` and what the pipeline recorded
            (``img_shape``, ``scale_factor``, ``crop_bbox``, ``flip``,
            ``flip_direction``).

    Returns:
        np.ndarray: float32 ``(N, 4)``.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if not len(boxes):
        return boxes.astype(np.float32)
    out = box_to_original_frame(
        boxes,
        img_shape=meta.get('img_shape'),
        scale_factor=input_scale(meta),
        crop_bbox=meta.get('crop_bbox'),
        flip=bool(meta.get('flip', False)),
        flip_direction=meta.get('flip_direction'))
    h, w = meta['ori_shape'][:2]
    out[:, 0::2] = np.clip(out[:, 0::2], 0, w)
    out[:, 1::2] = np.clip(out[:, 1::2], 0, h)
    return out
