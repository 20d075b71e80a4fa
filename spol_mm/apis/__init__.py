from .original_frame import inference_pipeline
from .wsol_inferencer import WSOLInferencer, topk_classes

__all__ = ['WSOLInferencer', 'inference_pipeline', 'topk_classes']
