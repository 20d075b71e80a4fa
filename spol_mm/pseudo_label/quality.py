"""How good pseudo labels are, measured against ground-truth masks."""
from typing import Dict

import numpy as np

from .config import BACKGROUND, FOREGROUND

#: Order of the counts of :func:`label_counts`.
COUNT_NAMES = ('fg_on_object', 'fg_off_object', 'bg_on_object',
               'bg_off_object', 'object')


def label_counts(label: np.ndarray, gt_mask: np.ndarray) -> np.ndarray:
    """Pixel counts of a pseudo-label map against a GT object mask.

    Args:
        label (np.ndarray): uint8 (H, W): 1 foreground, 0 background, other
            values (255) ignored.
        gt_mask (np.ndarray): (H, W), non-zero on the object.

    Returns:
        np.ndarray: int64 counts in the order of :data:`COUNT_NAMES`:
        foreground labels on / off the object, background labels on / off
        the object, and object pixels.
    """
    if label.shape != gt_mask.shape:
        raise ValueError(f'label shape {label.shape} differs from the GT '
                         f'mask shape {gt_mask.shape}')
    obj = gt_mask > 0
    fg, bg = label == FOREGROUND, label == BACKGROUND
    return np.array([(fg & obj).sum(), (fg & ~obj).sum(), (bg & obj).sum(),
                     (bg & ~obj).sum(), obj.sum()], dtype=np.int64)


def label_quality(counts: np.ndarray) -> Dict[str, float]:
    """Summaries (percent) of summed :func:`label_counts`.

    Args:
        counts (np.ndarray): (5,) counts summed over images.

    Returns:
        dict: ``fg_precision`` (foreground labels on the object),
        ``fg_recall`` (object pixels labelled foreground), ``bg_precision``
        (background labels off the object) and ``labelled`` (share of
        object pixels given any label, i.e. not ignored).
    """
    fg_on, fg_off, bg_on, bg_off, obj = (float(c) for c in counts)

    def share(a: float, b: float) -> float:
        return 100. * a / b if b > 0 else 0.

    return dict(
        fg_precision=share(fg_on, fg_on + fg_off),
        fg_recall=share(fg_on, obj),
        bg_precision=share(bg_off, bg_on + bg_off),
        labelled=share(fg_on + bg_on, obj))
