"""Lives in :mod:`wsol_protocol.masks` (the protocol package, importable
without torch or OpenMMLab); re-exported under its spol_mm name."""
from wsol_protocol.masks import (  # noqa: F401
    combine_masks,
    protocol_gt_mask)

__all__ = [
    'combine_masks',
    'protocol_gt_mask',
]
