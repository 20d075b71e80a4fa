"""Score map -> binary mask -> region boxes (SPOL's box rule).

SPOL's authors: ``mask = prob > 0.2`` (strict), contours by
``cv2.findContours(mask, RETR_TREE, CHAIN_APPROX_SIMPLE)``, the contour of
largest ``cv2.contourArea`` (polygon area, ties go to the first one
OpenCV lists), box ``x, y, x + w, y + h`` of its ``cv2.boundingRect``
(continuous coordinates in the map's frame, no clipping). An empty mask has
no box: evaluators must count it as a miss.
"""
from typing import List

import cv2
import numpy as np

BOX_MODES = ('largest', 'external', 'all')


def threshold_mask(score_map: np.ndarray, threshold: float) -> np.ndarray:
    """``score_map > threshold`` (strict) as a uint8 0/1 mask.

    Args:
        score_map (np.ndarray): ``(H, W)`` scores.
        threshold (float): Scores strictly above it are foreground.

    Returns:
        np.ndarray: uint8 ``(H, W)`` of 0/1.
    """
    score_map = np.asarray(score_map)
    if score_map.ndim != 2:
        raise ValueError(f'score map must be 2-D (H, W), got shape '
                         f'{score_map.shape}')
    return (score_map > threshold).astype(np.uint8)


def find_contours(mask: np.ndarray, external: bool = False) -> List:
    """OpenCV contours of a 0/1 mask (``RETR_TREE``, ``CHAIN_APPROX_SIMPLE``).

    ``RETR_TREE`` lists hole borders too, as SPOL's and the protocol's code;
    ``external=True`` keeps the outer borders (connected regions) only.

    Args:
        mask (np.ndarray): ``(H, W)``, nonzero = foreground.
        external (bool): Outer borders only. Defaults to False.

    Returns:
        list[np.ndarray]: int32 ``(K, 1, 2)`` point arrays ``(x, y)``.
    """
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    mode = cv2.RETR_EXTERNAL if external else cv2.RETR_TREE
    return list(cv2.findContours(mask, mode, cv2.CHAIN_APPROX_SIMPLE)[-2])


def contour_box(contour: np.ndarray) -> List[int]:
    """``[x, y, x + w, y + h]`` of ``cv2.boundingRect(contour)``."""
    x, y, w, h = cv2.boundingRect(contour)
    return [x, y, x + w, y + h]


def mask_to_boxes(mask: np.ndarray, mode: str = 'largest') -> np.ndarray:
    """Boxes of the regions of a binary mask.

    Args:
        mask (np.ndarray): ``(H, W)``, nonzero = foreground.
        mode (str): ``'largest'``: the contour of largest polygon area
            (SPOL's rule; the first listed on ties); ``'external'``: every
            connected region's outer contour; ``'all'``: every contour of
            ``RETR_TREE``, hole borders included (the protocol's
            multi-contour rule). Defaults to ``'largest'``.

    Returns:
        np.ndarray: float32 ``(K, 4)`` boxes ``x0, y0, x1, y1`` (exclusive
        ``x1, y1`` = ``x + w, y + h``), ``(0, 4)`` for an empty mask.
    """
    if mode not in BOX_MODES:
        raise ValueError(f'mode must be one of {BOX_MODES}, got {mode!r}')
    contours = find_contours(mask, external=mode == 'external')
    if not contours:
        return np.zeros((0, 4), dtype=np.float32)
    if mode == 'largest':
        # max() keeps the first maximum, as the authors' code.
        contours = [max(contours, key=cv2.contourArea)]
    return np.asarray([contour_box(c) for c in contours], dtype=np.float32)


def score_map_to_boxes(score_map: np.ndarray,
                       threshold: float = 0.2,
                       mode: str = 'largest') -> np.ndarray:
    """:func:`mask_to_boxes` of ``score_map > threshold``.

    Args:
        score_map (np.ndarray): ``(H, W)`` scores (e.g. a foreground
            probability or a normalised CAM).
        threshold (float): Strict threshold. Defaults to 0.2 (SPOL).
        mode (str): See :func:`mask_to_boxes`. Defaults to ``'largest'``.

    Returns:
        np.ndarray: float32 ``(K, 4)``, ``(0, 4)`` when no pixel passes.
    """
    return mask_to_boxes(threshold_mask(score_map, threshold), mode)


def largest_region_box(score_map: np.ndarray,
                       threshold: float = 0.2) -> np.ndarray:
    """SPOL's box: the largest region of ``score_map > threshold``.

    Args:
        score_map (np.ndarray): ``(H, W)`` scores.
        threshold (float): Strict threshold. Defaults to 0.2.

    Returns:
        np.ndarray: float32 ``(4,)`` box ``x0, y0, x1, y1`` in the map's
        frame, or ``(0, 4)`` when no pixel passes (reshape with
        ``reshape(-1, 4)`` for a uniform ``(K, 4)``).
    """
    boxes = score_map_to_boxes(score_map, threshold, 'largest')
    return boxes[0] if len(boxes) else boxes
