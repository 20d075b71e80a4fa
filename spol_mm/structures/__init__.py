"""Geometry shared by every layer of spol_mm: boxes and IoU, frame
conversions (resize / crop / flip / paste back), SPOL's box rule and GT
masks.

Pure numpy / OpenCV functions; nothing here imports the rest of spol_mm, so
models, datasets, evaluation, apis and visualization all build on it.
"""
from .box_extraction import (BOX_MODES, contour_box, find_contours,
                             largest_region_box, mask_to_boxes,
                             score_map_to_boxes, threshold_mask)
from .box_frames import (box_to_original_frame, boxes_to_original, crop_boxes,
                         input_scale, scale_pair, unflip_boxes)
from .boxes import (as_box_array, as_boxes, box_iou, box_outside, box_problem,
                    clip_box, empty_boxes, rescale_boxes_truncate,
                    xywh_to_xyxy)
from .map_frames import (crop_covers_image, paste_crop_map, resize_map,
                         score_map_to_original, unflip_map)
from .masks import combine_masks, protocol_gt_mask

__all__ = [
    'empty_boxes', 'as_boxes', 'as_box_array', 'xywh_to_xyxy', 'box_problem',
    'box_outside', 'clip_box', 'box_iou', 'scale_pair', 'unflip_boxes',
    'crop_boxes', 'box_to_original_frame', 'input_scale', 'boxes_to_original',
    'rescale_boxes_truncate', 'crop_covers_image', 'unflip_map', 'resize_map',
    'paste_crop_map', 'score_map_to_original', 'BOX_MODES', 'threshold_mask',
    'find_contours', 'contour_box', 'mask_to_boxes', 'score_map_to_boxes',
    'largest_region_box', 'combine_masks', 'protocol_gt_mask'
]
