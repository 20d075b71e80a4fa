"""Let ``torch.load(weights_only=True)`` read mmengine's own checkpoints.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True``, and
mmengine 0.10.7 checkpoints hold more than tensors: the message hub's
:class:`~mmengine.logging.HistoryBuffer` objects (numpy arrays inside) and
numpy scalars. ``--resume`` therefore fails. Rather than switching the safety
off with ``weights_only=False``, we allow-list exactly the globals those
checkpoints reference; anything else is still refused by torch.
"""
from typing import Any, Callable, List, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

try:  # numpy >= 2
    from numpy._core import multiarray as _np_multiarray
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core import multiarray as _np_multiarray


# Logged scalars are numpy numbers; every plain numeric dtype may occur.
_NUMERIC_DTYPES = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                   np.uint16, np.uint32, np.uint64, np.float16, np.float32,
                   np.float64)


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """``getattr`` restricted to the statistics methods of HistoryBuffer.

    ``HistoryBuffer.__getstate__`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')`` and so on. Allowing the builtin
    ``getattr`` would hand a pickle any attribute of any allowed object, so
    only this one use is accepted.
    """
    # The four built-ins are only added to the table by a first instance.
    allowed = {'min', 'max', 'current', 'mean'}
    allowed.update(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise torch.serialization.pickle.UnpicklingError(
        f'spol_mm refuses getattr({obj!r}, {name!r}) while loading a '
        'checkpoint: only HistoryBuffer statistics methods are allowed.')


def mmengine_checkpoint_globals() -> List[Union[Callable, Tuple[Callable,
                                                                str]]]:
    """Globals that an mmengine 0.10.7 checkpoint needs to unpickle.

    Returns:
        list: Entries for :func:`torch.serialization.add_safe_globals`.
    """
    return [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        _np_multiarray._reconstruct,
        _np_multiarray.scalar,
        (_history_buffer_getattr, 'builtins.getattr'),
        # numpy >= 1.25 pickles each dtype as an instance of its own class.
        *(type(np.dtype(t)) for t in _NUMERIC_DTYPES),
    ]


def allow_mmengine_checkpoints() -> None:
    """Register :func:`mmengine_checkpoint_globals` with torch (idempotent)."""
    if hasattr(torch.serialization, 'add_safe_globals'):
        torch.serialization.add_safe_globals(mmengine_checkpoint_globals())
