"""The standard WSOL protocol (Choe et al., CVPR 2020): MaxBoxAcc(V2), PxAP.

Conventions of the protocol's reference evaluator, followed exactly so that
the numbers are identical:

- A score map is ``(H, W)`` float in [0, 1] (224x224 for the whole image);
  it is quantised once, ``u8 = (map * 255).astype(uint8)`` in float64
  (truncation).
- Thresholds ``t = np.arange(0, 1, interval)``; foreground at ``t`` is
  ``u8 > int(t * u8.max())`` (strict).
- Regions: ``cv2.findContours(RETR_TREE, CHAIN_APPROX_SIMPLE)`` (hole
  borders count). Single-contour (MaxBoxAcc): the contour of largest
  ``cv2.contourArea``, the first listed on ties; multi-contour
  (MaxBoxAccV2): every contour. Box ``x, y, min(x + w, W - 1),
  min(y + h, H - 1)`` of ``cv2.boundingRect``; no contour: ``[0, 0, 0, 0]``.
- IoU with the +1 pixel convention; per image and threshold the best IoU
  over its predicted boxes x all its GT boxes; correct when
  ``IoU >= iou / 100``. MaxBoxAcc@iou = max over thresholds of the
  percentage correct; MaxBoxAccV2 = mean over IoU 30/50/70.
- PxAP: per-pixel histograms of the float scores over right edges
  ``thresholds + [1, 2, 3]``; TP / FP accumulated from the top bin down;
  ``AP = sum(precision[1:] * diff(recall))`` where ``TP + FP > 0``, x100.

The GT of that frame comes from :mod:`.boxes` and :mod:`.masks`
(``rescale_boxes_truncate``, ``protocol_gt_mask``); the data-set totals
from :class:`.accumulator.WSOLProtocolAccumulator`.

Two implementations of the per-threshold best IoU are kept:
:func:`box_best_ious_reference` runs one threshold after the other like the
reference; :func:`box_best_ious` gives the same floats without tracing
contours: one compiled union-find pass over the map's levels finds every
region's box (and, where it decides the largest contour, its area) for all
thresholds at once (see :func:`box_best_ious_both`).
"""
from functools import lru_cache
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np

from . import _boxpass
from .boxes import as_box_array, box_iou

PROTOCOL_SIZE = 224
PROTOCOL_IOUS = (30, 50, 70)
CAM_CURVE_INTERVAL = 0.01


def protocol_thresholds(interval: float = CAM_CURVE_INTERVAL) -> np.ndarray:
    """The protocol's score-map thresholds ``np.arange(0, 1, interval)``."""
    if not 0 < interval < 1:
        raise ValueError(f'interval must be in (0, 1), got {interval}')
    return np.arange(0, 1, interval)


def _map_array(score_map, name: str) -> np.ndarray:
    """A score map's dtype and shape checked, as float64 (no range check)."""
    if (type(score_map) is np.ndarray and score_map.dtype == np.float64
            and score_map.ndim == 2 and score_map.size):
        # The usual case, without the dtype queries below: after a pass
        # every numpy call starts from cold caches.
        return score_map
    arr = np.asarray(score_map)
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.floating)
                                     or np.issubdtype(arr.dtype, np.integer)):
        raise TypeError(f'{name}: must hold real numbers, got dtype '
                        f'{arr.dtype}')
    if arr.ndim != 2:
        raise ValueError(f'{name}: must be 2-D (H, W), got shape {arr.shape}')
    if arr.size == 0:
        raise ValueError(f'{name}: is empty (shape {arr.shape})')
    # float64 as the reference (its maps go through torch -> np.float).
    return arr.astype(np.float64, copy=False)


def check_score_map(score_map, name: str = 'score map') -> np.ndarray:
    """Validate a protocol score map and return it as float64.

    Args:
        score_map (array-like): ``(H, W)`` real numbers in [0, 1].
        name (str): What to call it in error messages (e.g. a file path).

    Returns:
        np.ndarray: float64 ``(H, W)``.
    """
    arr = _map_array(score_map, name)
    lo, hi = arr.min(), arr.max()
    if not (lo >= 0 and hi <= 1):  # NaN fails both (min / max keep NaN)
        if np.isnan(lo) or np.isnan(hi):
            raise ValueError(f'{name}: contains NaN')
        raise ValueError(f'{name}: values must be in [0, 1], got min {lo} '
                         f'max {hi}')
    return arr


def quantize_score_map(score_map) -> np.ndarray:
    """``(map * 255).astype(uint8)`` computed in float64 (truncation)."""
    return (np.asarray(score_map, dtype=np.float64) * 255).astype(np.uint8)


def threshold_levels(u8_max: int, thresholds) -> np.ndarray:
    """``int(t * u8_max)`` for every threshold (int64 ``(T,)``)."""
    thresholds = np.asarray(thresholds, dtype=np.float64)
    return np.trunc(thresholds * float(u8_max)).astype(np.int64)


def _gt_boxes(gt_boxes) -> np.ndarray:
    gt = as_box_array(gt_boxes, 'gt_boxes')
    if len(gt) == 0:
        raise ValueError('the protocol needs at least one GT box per image')
    return gt


def _pass_gt_boxes(gt_boxes) -> np.ndarray:
    """GT boxes as the compiled pass takes them: C-contiguous int64 (G, 4)
    (as given when they already are: what rescale_boxes_truncate gives)."""
    if (type(gt_boxes) is np.ndarray and gt_boxes.dtype == np.int64
            and gt_boxes.ndim == 2 and gt_boxes.shape[1] == 4
            and len(gt_boxes) and gt_boxes.flags.c_contiguous):
        return gt_boxes
    return np.ascontiguousarray(_gt_boxes(gt_boxes), dtype=np.int64)


# ---------------------------------------------------------------------------
# Straightforward implementation: one threshold after the other.
# ---------------------------------------------------------------------------
def boxes_at_thresholds_reference(score_map, thresholds,
                                  multi_contour: bool = False
                                  ) -> List[np.ndarray]:
    """The protocol's boxes of a score map at each threshold, one by one.

    Args:
        score_map (array-like): ``(H, W)`` in [0, 1].
        thresholds (Sequence[float]): Thresholds in [0, 1).
        multi_contour (bool): Every contour (True) or the largest.

    Returns:
        list[np.ndarray]: Per threshold int64 ``(K, 4)`` boxes (K >= 1;
        ``[[0, 0, 0, 0]]`` when no contour).
    """
    u8 = quantize_score_map(check_score_map(score_map))
    height, width = u8.shape
    out = []
    for t in thresholds:
        _, mask = cv2.threshold(u8, int(t * u8.max()), 255,
                                cv2.THRESH_BINARY)
        contours = cv2.findContours(mask, cv2.RETR_TREE,
                                    cv2.CHAIN_APPROX_SIMPLE)[-2]
        if len(contours) == 0:
            out.append(np.zeros((1, 4), dtype=np.int64))
            continue
        if not multi_contour:
            contours = [max(contours, key=cv2.contourArea)]
        boxes = []
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            boxes.append([x, y, min(x + w, width - 1), min(y + h, height - 1)])
        out.append(np.asarray(boxes, dtype=np.int64))
    return out


def box_best_ious_reference(score_map, gt_boxes, thresholds=None,
                            multi_contour: bool = False) -> np.ndarray:
    """Best +1-IoU per threshold, the straightforward way (for checking).

    Args:
        score_map (array-like): ``(H, W)`` in [0, 1].
        gt_boxes (array-like): ``(G, 4)`` GT boxes in the map's frame
            (ints, pixel-inclusive), G >= 1.
        thresholds (Sequence[float], optional): Defaults to
            :func:`protocol_thresholds`.
        multi_contour (bool): MaxBoxAccV2's every-contour rule.

    Returns:
        np.ndarray: float64 ``(T,)``.
    """
    gt = _gt_boxes(gt_boxes)
    if thresholds is None:
        thresholds = protocol_thresholds()
    boxes = boxes_at_thresholds_reference(score_map, thresholds,
                                          multi_contour)
    return np.array([box_iou(b, gt, plus_one=True).max() for b in boxes],
                    dtype=np.float64)


# ---------------------------------------------------------------------------
# Fast implementation.
# ---------------------------------------------------------------------------
def box_best_ious_both(score_map, gt_boxes, thresholds=None,
                       single_contour: bool = True,
                       multi_contour: bool = True
                       ) -> Dict[str, np.ndarray]:
    """Best +1-IoU per threshold for both contour rules in one pass.

    Equal to :func:`box_best_ious_reference` float for float, without
    tracing a contour at most levels. ``cv2.findContours`` (8-connected
    foreground, ``RETR_TREE``) gives one outer contour per connected region
    and one hole contour per 4-connected background region the image border
    does not reach; the compiled pass (``_boxpass.c``: validation,
    quantisation and levels included) finds them for every level at once
    with union-find, keeping per region what the rules need:

    - its box: an outer contour's bounding rectangle is its region's box, a
      hole contour's the hole's grown by one pixel on each side;
    - for the largest contour: ``cv2.contourArea`` of a region without a
      hole is its count of 2x2 pixel-centre cells with 4 set corners plus
      half its count of cells with 3; among equal areas OpenCV lists first
      the region starting last in raster order. Hole contours never win
      (a hole's area is at most its region's, and on a tie OpenCV lists the
      region first). A region with a hole, whose area the cells only
      bound, has its outer border followed as OpenCV follows it, where its
      box shows that it might hold the largest contour.

    Args:
        score_map (array-like): ``(H, W)`` in [0, 1].
        gt_boxes (array-like): ``(G, 4)`` GT boxes in the map's frame, G >= 1.
        thresholds (Sequence[float], optional): In [0, 1), giving at most
            255 distinct levels. Defaults to :func:`protocol_thresholds`.
        single_contour (bool): Compute ``'single'`` (largest contour).
        multi_contour (bool): Compute ``'multi'`` (every contour).

    Returns:
        dict[str, np.ndarray]: ``'single'`` / ``'multi'`` float64 ``(T,)``.
    """
    gt = _pass_gt_boxes(gt_boxes)
    if thresholds is None:
        thresholds = protocol_thresholds()
    thresholds = np.ascontiguousarray(thresholds, dtype=np.float64)
    arr = np.ascontiguousarray(_map_array(score_map, 'score map'))
    out = {}
    if single_contour:
        out['single'] = np.empty(len(thresholds))
    if multi_contour:
        out['multi'] = np.empty(len(thresholds))
    if not _boxpass.best_ious(arr, thresholds, gt, out.get('single'),
                              out.get('multi')):
        check_score_map(arr)  # a value outside [0, 1]: raises, saying which
    return out


def box_best_ious(score_map, gt_boxes, thresholds=None,
                  multi_contour: bool = False) -> np.ndarray:
    """Best +1-IoU per threshold (fast; equals the reference exactly).

    Args:
        score_map (array-like): ``(H, W)`` in [0, 1].
        gt_boxes (array-like): ``(G, 4)`` GT boxes in the map's frame, G >= 1.
        thresholds (Sequence[float], optional): Defaults to
            :func:`protocol_thresholds`.
        multi_contour (bool): MaxBoxAccV2's every-contour rule.

    Returns:
        np.ndarray: float64 ``(T,)``.
    """
    key = 'multi' if multi_contour else 'single'
    return box_best_ious_both(
        score_map,
        gt_boxes,
        thresholds,
        single_contour=not multi_contour,
        multi_contour=multi_contour)[key]


# ---------------------------------------------------------------------------
# Accumulation.
# ---------------------------------------------------------------------------
def box_correct(best_ious: np.ndarray,
                iou_thresholds: Sequence[int] = PROTOCOL_IOUS) -> np.ndarray:
    """Correctness per IoU threshold and score threshold.

    Args:
        best_ious (np.ndarray): ``(T,)`` or ``(N, T)`` best IoUs.
        iou_thresholds (Sequence[int]): In percent, compared as
            ``IoU >= iou / 100``.

    Returns:
        np.ndarray: bool ``(len(iou_thresholds), T)`` (or
        ``(len(iou_thresholds), N, T)``).
    """
    best_ious = np.asarray(best_ious, dtype=np.float64)
    try:
        key = tuple(iou_thresholds)
    except TypeError:  # one threshold
        key = (iou_thresholds, )
    fractions = _iou_fractions(key)
    return best_ious >= fractions.reshape((-1, ) + (1, ) * best_ious.ndim)


@lru_cache(maxsize=None)
def _iou_fractions(iou_thresholds: Tuple[int, ...]) -> np.ndarray:
    """``iou / 100`` of each IoU threshold, read-only (computed once per
    accumulator setting, not per image)."""
    fractions = np.asarray(iou_thresholds, dtype=np.float64) / 100
    fractions.setflags(write=False)
    return fractions


def max_box_acc(num_correct: np.ndarray, num_images: int,
                thresholds) -> Tuple[np.ndarray, np.ndarray]:
    """MaxBoxAcc per IoU threshold and the score threshold reaching it.

    Args:
        num_correct (np.ndarray): ``(I, T)`` images correct per IoU
            threshold and score threshold.
        num_images (int): Images evaluated.
        thresholds (Sequence[float]): The ``T`` score thresholds.

    Returns:
        tuple[np.ndarray, np.ndarray]: float64 ``(I,)`` accuracies in percent
        and ``(I,)`` best thresholds (the first on ties).
    """
    if num_images <= 0:
        raise ValueError('no image was evaluated')
    acc = np.asarray(num_correct, dtype=np.float64) * 100. / float(num_images)
    best = acc.argmax(axis=-1)
    return acc.max(axis=-1), np.asarray(thresholds, dtype=np.float64)[best]


def pxap_bin_edges(thresholds) -> np.ndarray:
    """Histogram edges ``thresholds + [1, 2, 3]``: bins ``[t_i, t_i+1)``,
    then ``[1, 2)`` (the scores equal to 1) and ``[2, 3]`` (empty)."""
    return np.append(np.asarray(thresholds, dtype=np.float64),
                     [1.0, 2.0, 3.0])


def pxap_histograms(score_map, gt_mask, thresholds=None
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Score histograms of the GT-foreground and GT-background pixels.

    Args:
        score_map (array-like): ``(H, W)`` in [0, 1].
        gt_mask (array-like): ``(H, W)``: 1 foreground, 0 background, any
            other value (e.g. 255) ignored.
        thresholds (Sequence[float], optional): Defaults to
            :func:`protocol_thresholds`.

    Returns:
        tuple[np.ndarray, np.ndarray]: int64 ``(T + 2,)`` histograms of the
        foreground and of the background pixels.
    """
    if thresholds is None:
        thresholds = protocol_thresholds()
    scores = check_score_map(score_map)
    gt_mask = np.asarray(gt_mask)
    if gt_mask.shape != scores.shape:
        raise ValueError(f'GT mask shape {gt_mask.shape} differs from the '
                         f'score map shape {scores.shape}')
    edges = pxap_bin_edges(thresholds)
    true_hist, _ = np.histogram(scores[gt_mask == 1], bins=edges)
    false_hist, _ = np.histogram(scores[gt_mask == 0], bins=edges)
    return true_hist.astype(np.int64), false_hist.astype(np.int64)


def pxap(true_hist: np.ndarray, false_hist: np.ndarray) -> float:
    """Pixel average precision (percent) from summed histograms.

    Args:
        true_hist (np.ndarray): ``(B,)`` foreground-pixel score counts.
        false_hist (np.ndarray): ``(B,)`` background-pixel score counts.

    Returns:
        float: ``sum(precision[1:] * diff(recall))`` over the thresholds
        with a positive prediction, x100.
    """
    true_hist = np.asarray(true_hist, dtype=np.float64)
    false_hist = np.asarray(false_hist, dtype=np.float64)
    tp = true_hist[::-1].cumsum()
    fn = true_hist.sum() - tp
    fp = false_hist[::-1].cumsum()
    if ((tp + fn) <= 0).all():
        raise ValueError('PxAP: no positive ground-truth pixel')
    if ((tp + fp) <= 0).all():
        raise ValueError('PxAP: no positive prediction')
    predicted = (tp + fp) != 0
    with np.errstate(divide='ignore', invalid='ignore'):
        precision = tp / (tp + fp)
        recall = tp / (tp + fn)
    ap = (precision[1:] * np.diff(recall))[predicted[1:]].sum()
    return float(ap * 100)


def pixel_shares(true_hist: np.ndarray, false_hist: np.ndarray,
                 thresholds: Sequence[float],
                 at: Sequence[float]) -> Dict[str, float]:
    """How much of the image a score map calls foreground, from summed
    :func:`pxap_histograms`: the share of the (not ignored) pixels scoring
    ``>= t`` for each ``t`` of ``at`` (``fg share@<t>``), beside the share
    of GT foreground pixels (``object share``), in percent. A map that
    segments the object has the two near each other; a map that calls the
    whole image foreground has ``fg share`` near 100.

    Args:
        true_hist (np.ndarray): ``(T + 2,)`` foreground-pixel counts.
        false_hist (np.ndarray): ``(T + 2,)`` background-pixel counts.
        thresholds (Sequence[float]): The histograms' ``T`` thresholds.
        at (Sequence[float]): Where to read the share; each is rounded up
            to the next threshold of the grid (the key names that one).

    Returns:
        dict[str, float]: ``fg share@<t:.2f>`` and ``object share``.
    """
    counts = np.asarray(true_hist, np.float64) + np.asarray(
        false_hist, np.float64)
    total = counts.sum()
    if total <= 0:
        return {}
    # Bin i holds the scores in [t_i, t_i+1): ">= t_i" is bins i onwards.
    above = counts[::-1].cumsum()[::-1]
    grid = np.asarray(thresholds, np.float64)
    out = {}
    for t in at:
        i = int(np.searchsorted(grid, t - 1e-9))
        if i >= len(grid):
            raise ValueError(f'pixel_shares: threshold {t} is above the '
                             f'grid (up to {grid[-1]:.2f})')
        out[f'fg share@{grid[i]:.2f}'] = float(100 * above[i] / total)
    out['object share'] = float(100 * np.sum(true_hist) / total)
    return out


def summarize_box_counts(num_correct: np.ndarray, num_images: int,
                         thresholds, iou_thresholds: Sequence[int]
                         ) -> Dict[str, float]:
    """``MaxBoxAcc@<iou>`` and ``best_threshold@<iou>`` for each IoU.

    Args:
        num_correct (np.ndarray): ``(I, T)`` counts.
        num_images (int): Images evaluated.
        thresholds (Sequence[float]): The ``T`` score thresholds.
        iou_thresholds (Sequence[int]): The ``I`` IoU thresholds (percent).

    Returns:
        dict[str, float]: Accuracies in percent, thresholds as fractions.
    """
    acc, best = max_box_acc(num_correct, num_images, thresholds)
    out = {}
    for iou, a, t in zip(iou_thresholds, acc, best):
        out[f'MaxBoxAcc@{iou}'] = float(a)
        out[f'best_threshold@{iou}'] = float(t)
    return out


def mean_max_box_acc(num_correct: np.ndarray, num_images: int,
                     thresholds) -> float:
    """MaxBoxAccV2: the mean over IoU thresholds of each one's maximum."""
    acc, _ = max_box_acc(num_correct, num_images, thresholds)
    return float(np.average(acc))
