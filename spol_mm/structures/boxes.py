"""Lives in :mod:`wsol_protocol.boxes` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.boxes import (  # noqa: F401
    empty_boxes,
    as_boxes,
    as_box_array,
    xywh_to_xyxy,
    box_problem,
    box_outside,
    clip_box,
    box_iou,
    rescale_boxes_truncate)

__all__ = [
    'empty_boxes',
    'as_boxes',
    'as_box_array',
    'xywh_to_xyxy',
    'box_problem',
    'box_outside',
    'clip_box',
    'box_iou',
    'rescale_boxes_truncate',
]
