"""Lives in :mod:`wsol_protocol.saved_maps` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.saved_maps import (  # noqa: F401
    EvalError,
    scoremap_path,
    save_scoremap,
    load_scoremap,
    read_mask,
    check_inputs,
    evaluate_saved_maps)

__all__ = [
    'EvalError',
    'scoremap_path',
    'save_scoremap',
    'load_scoremap',
    'read_mask',
    'check_inputs',
    'evaluate_saved_maps',
]
