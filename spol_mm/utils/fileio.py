"""Lives in :mod:`wsol_protocol.fileio` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.fileio import (  # noqa: F401
    atomic_write_bytes,
    atomic_write_text,
    atomic_write_json,
    remove_stale_temps)

__all__ = [
    'atomic_write_bytes',
    'atomic_write_text',
    'atomic_write_json',
    'remove_stale_temps',
]
