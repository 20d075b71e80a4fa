"""Tensors of data samples as numpy arrays."""
from typing import Any, Optional

import numpy as np


def to_numpy(value: Any) -> Optional[np.ndarray]:
    """A tensor / array / list / number as a numpy array (None stays None).

    Tensors are detached and moved to the CPU; floating tensors become
    float32 (half precision included), other dtypes are kept.

    Args:
        value: A ``torch.Tensor``, array-like or None.

    Returns:
        np.ndarray | None: The array.
    """
    if value is None:
        return None
    if hasattr(value, 'detach'):
        value = value.detach().cpu()
        if value.dtype.is_floating_point:
            value = value.float()
        value = value.numpy()
    return np.asarray(value)
