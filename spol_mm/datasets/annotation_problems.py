"""Lives in :mod:`wsol_protocol.annotations` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.annotations import (  # noqa: F401
    WSOLAnnotationError,
    AnnotationProblems,
    require_file,
    require_dir,
    iter_fields,
    read_keyed_table,
    check_same_keys,
    parse_int,
    parse_float)

__all__ = [
    'WSOLAnnotationError',
    'AnnotationProblems',
    'require_file',
    'require_dir',
    'iter_fields',
    'read_keyed_table',
    'check_same_keys',
    'parse_int',
    'parse_float',
]
