"""Pure numpy / OpenCV functions of the WSOL evaluation."""
from .box_extraction import (find_contours, largest_region_box, mask_to_boxes,
                             score_map_to_boxes, threshold_mask)
from .box_frames import (box_to_original_frame, rescale_boxes_truncate,
                         unflip_boxes)
from .box_iou import box_iou
from .paper_metrics import (best_box_iou, loc_accuracies, localization_hit,
                            passes_iou, topk_hits)
from .protocol_frame import (crop_covers_image, paste_crop_map, resize_map,
                             unflip_map)
from .wsol_metadata import WSOLMetadataError, load_wsol_metadata
from .wsol_protocol import (CAM_CURVE_INTERVAL, PROTOCOL_IOUS, PROTOCOL_SIZE,
                            box_best_ious, box_best_ious_both,
                            box_best_ious_reference, box_correct,
                            boxes_at_thresholds_reference, check_score_map,
                            max_box_acc, mean_max_box_acc, protocol_gt_mask,
                            protocol_thresholds, pxap, pxap_bin_edges,
                            pxap_histograms, quantize_score_map,
                            summarize_box_counts, threshold_levels)

__all__ = [
    'threshold_mask', 'find_contours', 'mask_to_boxes', 'score_map_to_boxes',
    'largest_region_box', 'box_to_original_frame', 'unflip_boxes',
    'rescale_boxes_truncate', 'box_iou', 'passes_iou', 'best_box_iou',
    'localization_hit', 'topk_hits', 'loc_accuracies', 'load_wsol_metadata',
    'WSOLMetadataError', 'PROTOCOL_SIZE', 'PROTOCOL_IOUS',
    'CAM_CURVE_INTERVAL', 'protocol_thresholds', 'check_score_map',
    'quantize_score_map', 'threshold_levels', 'boxes_at_thresholds_reference',
    'box_best_ious_reference', 'box_best_ious', 'box_best_ious_both',
    'box_correct', 'max_box_acc', 'mean_max_box_acc', 'summarize_box_counts',
    'pxap_bin_edges', 'pxap_histograms', 'pxap', 'protocol_gt_mask',
    'crop_covers_image', 'unflip_map', 'resize_map', 'paste_crop_map'
]
