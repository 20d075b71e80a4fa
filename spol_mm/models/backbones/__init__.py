from .efficientnet_lite import (LITE0_IMAGENET, LITE0_MEAN, LITE0_STD,
                                EfficientNetLite, convert_lite0_state_dict,
                                load_lite0_imagenet)

__all__ = [
    'EfficientNetLite', 'convert_lite0_state_dict', 'load_lite0_imagenet',
    'LITE0_IMAGENET', 'LITE0_MEAN', 'LITE0_STD'
]
