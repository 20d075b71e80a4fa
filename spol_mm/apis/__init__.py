from .original_frame import (boxes_to_original, inference_pipeline,
                             score_map_to_original)
from .wsol_inferencer import WSOLInferencer, topk_classes

__all__ = [
    'WSOLInferencer', 'boxes_to_original', 'inference_pipeline',
    'score_map_to_original', 'topk_classes'
]
