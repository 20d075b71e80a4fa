from .cam_family_localizer import (CAM_METHODS, TARGET_LAYERS,
                                   CAMFamilyLocalizer, default_target_layer,
                                   linear_cam)
from .spol_localizer import SPOLLocalizer
from .trivial_box_localizer import TrivialBoxLocalizer

__all__ = [
    'SPOLLocalizer', 'TrivialBoxLocalizer', 'CAMFamilyLocalizer',
    'CAM_METHODS', 'TARGET_LAYERS', 'default_target_layer', 'linear_cam'
]
