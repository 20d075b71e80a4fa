from .spol_localizer import SPOLLocalizer
from .trivial_box_localizer import TrivialBoxLocalizer

__all__ = ['SPOLLocalizer', 'TrivialBoxLocalizer']
