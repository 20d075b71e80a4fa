"""Lives in :mod:`wsol_protocol.metadata` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.metadata import (  # noqa: F401
    WSOLMetadataError,
    WSOLMetadata,
    read_wsol_metadata,
    load_wsol_metadata,
    write_wsol_metadata)

__all__ = [
    'WSOLMetadataError',
    'WSOLMetadata',
    'read_wsol_metadata',
    'load_wsol_metadata',
    'write_wsol_metadata',
]
