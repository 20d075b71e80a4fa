from .formatting import PackWSOLInputs
from .loading import (BadImageError, LoadWSOLImage, LoadWSOLMask,
                      binarize_mask, combine_masks, decode_bgr)
from .processing import WSOLCenterCrop, WSOLRandomCrop, crop_array

__all__ = [
    'PackWSOLInputs', 'LoadWSOLImage', 'LoadWSOLMask', 'BadImageError',
    'WSOLCenterCrop', 'WSOLRandomCrop', 'binarize_mask', 'combine_masks',
    'crop_array', 'decode_bgr'
]
