"""WSOL evaluation: pure box / protocol functions (:mod:`.functional`) and
the registered :class:`WSOLBoxMetric`."""
from . import functional, metrics  # noqa: F401
from .metrics import WSOLBoxMetric

__all__ = ['WSOLBoxMetric']
