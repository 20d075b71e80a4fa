"""Lives in :mod:`wsol_protocol.accumulator` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.accumulator import (  # noqa: F401
    SHARE_THRESHOLDS,
    WSOLProtocolAccumulator)

__all__ = [
    'SHARE_THRESHOLDS',
    'WSOLProtocolAccumulator',
]
