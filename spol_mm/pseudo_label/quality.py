"""How good pseudo labels are, measured against ground-truth masks.

:func:`label_counts` counts one label map (or a stack) against its GT mask,
:func:`label_quality` turns summed counts into the percentages the label
quality tool (``tools/analysis_tools/label_quality.py``), the demo's log and
the ablation print. :data:`GPPL_SETTINGS` names the GPPL settings those
compare: the readings of the paper's 0.7 step, the authors' released
variant, background thresholds and the Table 4 switches.
"""
from typing import Dict

import numpy as np

from .config import BACKGROUND, FOREGROUND

#: Order of the counts of :func:`label_counts`.
COUNT_NAMES = ('fg_on_object', 'fg_off_object', 'bg_on_object',
               'bg_off_object', 'object', 'pixels')

#: The columns of :func:`label_quality`, in table order.
QUALITY_NAMES = ('fg_precision', 'fg_recall', 'bg_precision', 'bg_recall',
                 'ignored', 'fg_share', 'object_share', 'labelled')

#: Named GPPL settings (:class:`~spol_mm.pseudo_label.GPPLConfig` fields)
#: that the label quality tool compares. Each names every field it depends
#: on, so a later change of the defaults cannot change what a name means.
GPPL_SETTINGS = {
    "paper, 0.7 step 'off', bg 0.004":
    dict(mode='paper', fg_reading='off', fg_thr=0.5, bg_thr=0.004),
    "paper, 0.7 step 'moments', bg 0.004":
    dict(mode='paper', fg_reading='moments', fg_thr=0.5, bg_thr=0.004),
    "paper, 0.7 step 'binarize', bg 0.004":
    dict(mode='paper', fg_reading='binarize', fg_thr=0.5, bg_thr=0.004),
    "paper, 'off', bg 0.05":
    dict(mode='paper', fg_reading='off', fg_thr=0.5, bg_thr=0.05),
    "paper, 'off', bg 0.1":
    dict(mode='paper', fg_reading='off', fg_thr=0.5, bg_thr=0.1),
    "paper, 'off', bg 0.2":
    dict(mode='paper', fg_reading='off', fg_thr=0.5, bg_thr=0.2),
    "paper, 'moments', bg 0.1":
    dict(mode='paper', fg_reading='moments', fg_thr=0.5, bg_thr=0.1),
    'released (fg 0.25, bg 0.01)':
    dict(mode='released', fg_thr=0.25, bg_thr=0.01),
    "no threshold ('off', fg 0.5)":
    dict(mode='paper', fg_reading='off', fg_thr=0.5, use_threshold=False),
    'no Gaussian (fg 0.5, bg 0.004)':
    dict(use_gaussian=False, fg_thr=0.5, bg_thr=0.004),
    # Table 4's switch at the Lite0 configs' background threshold.
    'no Gaussian (fg 0.5, bg 0.2)':
    dict(use_gaussian=False, fg_thr=0.5, bg_thr=0.2),
}


def label_counts(label: np.ndarray, gt_mask: np.ndarray) -> np.ndarray:
    """Pixel counts of pseudo-label maps against GT object masks.

    Args:
        label (np.ndarray): uint8 (H, W) or a stack (N, H, W): 1
            foreground, 0 background, other values (255) ignored.
        gt_mask (np.ndarray): Like ``label``, as
            :func:`~spol_mm.pseudo_label.load_gt_mask_label` gives it: 1
            object, 0 background, other values (a data set's ignore
            region, 255) left out of every count.

    Returns:
        np.ndarray: int64 counts in the order of :data:`COUNT_NAMES`:
        foreground labels on / off the object, background labels on / off
        the object, object pixels and all counted pixels.
    """
    if label.shape != gt_mask.shape:
        raise ValueError(f'label shape {label.shape} differs from the GT '
                         f'mask shape {gt_mask.shape}')
    obj, off = gt_mask == 1, gt_mask == 0
    fg, bg = label == FOREGROUND, label == BACKGROUND
    return np.array([(fg & obj).sum(), (fg & off).sum(), (bg & obj).sum(),
                     (bg & off).sum(), obj.sum(), (obj | off).sum()],
                    dtype=np.int64)


def label_quality(counts: np.ndarray) -> Dict[str, float]:
    """Summaries (percent) of summed :func:`label_counts`.

    Args:
        counts (np.ndarray): (6,) counts summed over images.

    Returns:
        dict: In the order of :data:`QUALITY_NAMES`: ``fg_precision``
        (foreground labels on the object), ``fg_recall`` (object pixels
        labelled foreground), ``bg_precision`` (background labels off the
        object), ``bg_recall`` (pixels off the object labelled background),
        ``ignored`` (pixels given no label), ``fg_share`` (pixels labelled
        foreground), ``object_share`` (object pixels) and ``labelled``
        (object pixels given any label).
    """
    fg_on, fg_off, bg_on, bg_off, obj, pixels = (float(c) for c in counts)

    def share(a: float, b: float) -> float:
        return 100. * a / b if b > 0 else 0.

    return dict(
        fg_precision=share(fg_on, fg_on + fg_off),
        fg_recall=share(fg_on, obj),
        bg_precision=share(bg_off, bg_on + bg_off),
        bg_recall=share(bg_off, pixels - obj),
        ignored=share(pixels - fg_on - fg_off - bg_on - bg_off, pixels),
        fg_share=share(fg_on + fg_off, pixels),
        object_share=share(obj, pixels),
        labelled=share(fg_on + bg_on, obj))
