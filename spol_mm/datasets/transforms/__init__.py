from .formatting import PackWSOLInputs
from .loading import LoadWSOLMask, binarize_mask, combine_masks
from .processing import WSOLCenterCrop, WSOLRandomCrop, crop_array

__all__ = [
    'PackWSOLInputs', 'LoadWSOLMask', 'WSOLCenterCrop', 'WSOLRandomCrop',
    'binarize_mask', 'combine_masks', 'crop_array'
]
