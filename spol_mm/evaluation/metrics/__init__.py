"""Registered WSOL metrics."""
from .wsol_box_metric import WSOLBoxMetric

__all__ = ['WSOLBoxMetric']
