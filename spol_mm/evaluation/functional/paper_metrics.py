"""The paper's localisation metrics: GT-known Loc, Top-1 Loc, Top-5 Loc.

One box per image (SPOL's largest region at a fixed threshold, see
:mod:`spol_mm.structures.box_extraction`) against the image's GT boxes,
continuous IoU (no +1).
The box is correct when the IoU passes ``iou_threshold`` (``>`` as the
authors; ``>=`` on request). An image without a box (nothing above the
threshold) is a miss. GT-known Loc counts correct boxes; Top-k Loc also
needs the label among the classifier's k best classes.
"""
from typing import Dict, Sequence, Tuple

import numpy as np

from spol_mm.structures import as_box_array, box_iou

IOU_COMPARES = ('>', '>=')
GT_MATCHES = ('all', 'first')


def passes_iou(iou, threshold: float = 0.5, compare: str = '>'):
    """``iou > threshold`` or ``iou >= threshold``.

    Args:
        iou (float | np.ndarray): IoU value(s).
        threshold (float): Defaults to 0.5.
        compare (str): ``'>'`` (SPOL's authors) or ``'>='``.

    Returns:
        bool | np.ndarray: Whether each IoU passes.
    """
    if compare == '>':
        return np.greater(iou, threshold)
    if compare == '>=':
        return np.greater_equal(iou, threshold)
    raise ValueError(f'compare must be one of {IOU_COMPARES}, got {compare!r}')


def best_box_iou(pred_boxes, gt_boxes, gt_match: str = 'all') -> float:
    """Best continuous IoU of the predicted box(es) with the GT boxes.

    Args:
        pred_boxes (array-like): ``(4,)`` or ``(K, 4)``; empty = no box.
        gt_boxes (array-like): ``(G, 4)``, G >= 1.
        gt_match (str): ``'all'``: the best over every GT box (the usual
            rule, boxes of every instance); ``'first'``: only the first GT
            box (the authors' released evaluation). Defaults to ``'all'``.

    Returns:
        float: The IoU, 0.0 without a predicted box.
    """
    if gt_match not in GT_MATCHES:
        raise ValueError(f'gt_match must be one of {GT_MATCHES}, '
                         f'got {gt_match!r}')
    gt = as_box_array(gt_boxes, 'gt_boxes')
    if len(gt) == 0:
        raise ValueError('no GT box to compare with')
    pred = as_box_array(pred_boxes, 'pred_boxes')
    if len(pred) == 0:
        return 0.0
    if gt_match == 'first':
        gt = gt[:1]
    return float(box_iou(pred, gt).max())


def localization_hit(pred_boxes,
                     gt_boxes,
                     iou_threshold: float = 0.5,
                     iou_compare: str = '>',
                     gt_match: str = 'all') -> Tuple[bool, float]:
    """Whether the predicted box localises the object.

    Args:
        pred_boxes (array-like): ``(4,)`` or ``(K, 4)``; empty = a miss.
        gt_boxes (array-like): ``(G, 4)`` in the same frame, G >= 1.
        iou_threshold (float): Defaults to 0.5.
        iou_compare (str): ``'>'`` or ``'>='``. Defaults to ``'>'``.
        gt_match (str): ``'all'`` or ``'first'`` (see
            :func:`best_box_iou`).

    Returns:
        tuple[bool, float]: The verdict and the IoU.
    """
    iou = best_box_iou(pred_boxes, gt_boxes, gt_match)
    has_box = as_box_array(pred_boxes, 'pred_boxes').shape[0] > 0
    return bool(has_box and passes_iou(iou, iou_threshold, iou_compare)), iou


def topk_hits(pred_score, gt_label: int,
              topk: Sequence[int] = (1, 5)) -> Dict[int, bool]:
    """Whether ``gt_label`` is among the k best classes, for each k.

    Ties follow a stable descending sort (the lower class index first).

    Args:
        pred_score (array-like): ``(num_classes,)`` class scores.
        gt_label (int): The true class.
        topk (Sequence[int]): The k values (capped at ``num_classes``).

    Returns:
        dict[int, bool]: ``k -> hit``.
    """
    scores = np.asarray(pred_score, dtype=np.float64).reshape(-1)
    order = np.argsort(-scores, kind='stable')
    rank = int(np.flatnonzero(order == int(gt_label))[0]) \
        if 0 <= int(gt_label) < len(scores) else len(scores)
    return {int(k): rank < int(k) for k in topk}


def loc_accuracies(loc_hits, cls_hits: Dict[int, Sequence[bool]] = None
                   ) -> Dict[str, float]:
    """GT-known Loc and Top-k Loc in percent.

    Args:
        loc_hits (Sequence[bool]): ``(N,)`` box verdicts.
        cls_hits (dict[int, Sequence[bool]], optional): ``k -> (N,)``
            top-k classification verdicts; without them only GT-known Loc.

    Returns:
        dict[str, float]: ``'GT-known Loc'`` and ``'Top-{k} Loc'``.
    """
    loc = np.asarray(loc_hits, dtype=bool)
    if loc.size == 0:
        raise ValueError('no image to compute the localisation accuracy of')
    out = {'GT-known Loc': float(loc.mean() * 100)}
    for k, hits in (cls_hits or {}).items():
        hits = np.asarray(hits, dtype=bool)
        if hits.shape != loc.shape:
            raise ValueError(f'top-{k} verdicts {hits.shape} do not match '
                             f'the box verdicts {loc.shape}')
        out[f'Top-{k} Loc'] = float((loc & hits).mean() * 100)
    return out
