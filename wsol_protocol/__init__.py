"""The standard WSOL evaluation protocol (Choe et al., CVPR 2020).

MaxBoxAcc, MaxBoxAccV2 and PxAP exactly as the protocol's reference code
computes them, its metadata folders and its saved score maps. Only numpy,
OpenCV (and a small compiled extension, built on install) are needed, so
that ``tools/eval_wsol.py`` starts in a fraction of a second; spol_mm's
``WSOLBoxMetric`` builds on the same accumulator.
"""
from .accumulator import WSOLProtocolAccumulator
from .metadata import WSOLMetadataError, load_wsol_metadata
from .metrics import (CAM_CURVE_INTERVAL, PROTOCOL_IOUS, PROTOCOL_SIZE,
                      box_best_ious, box_best_ious_both,
                      box_best_ious_reference, protocol_thresholds)
from .saved_maps import EvalError, evaluate_saved_maps

__all__ = [
    'WSOLProtocolAccumulator', 'WSOLMetadataError', 'load_wsol_metadata',
    'CAM_CURVE_INTERVAL', 'PROTOCOL_IOUS', 'PROTOCOL_SIZE', 'box_best_ious',
    'box_best_ious_both', 'box_best_ious_reference', 'protocol_thresholds',
    'EvalError', 'evaluate_saved_maps'
]
