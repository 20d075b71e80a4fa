from .spol_localizer import SPOLLocalizer

__all__ = ['SPOLLocalizer']
