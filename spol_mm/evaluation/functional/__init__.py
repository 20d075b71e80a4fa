"""Metric maths of the WSOL evaluation (pure numpy / OpenCV functions).

The geometry they build on (boxes, IoU, frames, SPOL's box rule, GT masks)
lives in :mod:`spol_mm.structures`.
"""
from .paper_metrics import (best_box_iou, loc_accuracies, localization_hit,
                            passes_iou, topk_hits)
from .protocol_accumulator import WSOLProtocolAccumulator
from .wsol_protocol import (CAM_CURVE_INTERVAL, PROTOCOL_IOUS, PROTOCOL_SIZE,
                            box_best_ious, box_best_ious_both,
                            box_best_ious_reference, box_correct,
                            boxes_at_thresholds_reference, check_score_map,
                            max_box_acc, mean_max_box_acc, pixel_shares,
                            protocol_thresholds, pxap, pxap_bin_edges,
                            pxap_histograms,
                            quantize_score_map, summarize_box_counts,
                            threshold_levels)

__all__ = [
    'passes_iou', 'best_box_iou', 'localization_hit', 'topk_hits',
    'loc_accuracies', 'PROTOCOL_SIZE', 'PROTOCOL_IOUS', 'CAM_CURVE_INTERVAL',
    'protocol_thresholds', 'check_score_map', 'quantize_score_map',
    'threshold_levels', 'boxes_at_thresholds_reference',
    'box_best_ious_reference', 'box_best_ious', 'box_best_ious_both',
    'box_correct', 'max_box_acc', 'mean_max_box_acc', 'summarize_box_counts',
    'pxap_bin_edges', 'pxap_histograms', 'pxap', 'pixel_shares',
    'WSOLProtocolAccumulator'
]
