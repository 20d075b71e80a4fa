from .formatting import PackWSOLInputs
from .frames import protocol_test_pipeline
from .loading import (BadImageError, LoadWSOLImage, LoadWSOLMask,
                      binarize_mask, decode_bgr)
from .processing import WSOLCenterCrop, WSOLRandomCrop, crop_array

__all__ = [
    'PackWSOLInputs', 'LoadWSOLImage', 'LoadWSOLMask', 'BadImageError',
    'WSOLCenterCrop', 'WSOLRandomCrop', 'binarize_mask', 'crop_array',
    'decode_bgr', 'protocol_test_pipeline'
]
