"""GT object masks: the union of instance masks with an ignore region."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np


def combine_masks(instances: Sequence[np.ndarray],
                  ignore: Optional[np.ndarray] = None,
                  ignore_index: int = 255) -> np.ndarray:
    """Union of instance masks, with an optional ignore region.

    As in the WSOL protocol's reference evaluator, the ignore value goes
    only where the ignore mask is set and no instance is.

    Args:
        instances (Sequence[np.ndarray]): uint8 (or bool) 0/1 masks of one
            image, at least one.
        ignore (np.ndarray, optional): Ignore mask, nonzero = ignored.
        ignore_index (int): Value of ignored pixels. Defaults to 255.

    Returns:
        np.ndarray: ``(H, W)`` uint8: 1 foreground, 0 background,
        ``ignore_index`` ignored.
    """
    if len(instances) == 0:
        raise ValueError('at least one instance mask is needed')
    label = np.zeros_like(instances[0], dtype=np.uint8)
    for mask in instances:
        label |= mask.astype(np.uint8)
    if ignore is not None:
        label[(ignore > 0) & (label == 0)] = ignore_index
    return label


def protocol_gt_mask(instance_masks: Sequence[np.ndarray],
                     ignore_mask: Optional[np.ndarray] = None,
                     size: Tuple[int, int] = (224, 224)) -> np.ndarray:
    """The WSOL protocol's GT mask from loaded grayscale mask images.

    Each image is resized to ``size`` (nearest neighbour) and taken as
    foreground where above 0.5 (the reference's rule, unlike the loader's
    ``binarize_mask``); then :func:`combine_masks`.

    Args:
        instance_masks (Sequence[np.ndarray]): ``(h, w)`` grayscale masks
            of the instances, at least one.
        ignore_mask (np.ndarray, optional): ``(h, w)`` grayscale ignore
            region.
        size (tuple[int, int]): ``(w, h)`` to resize to. Defaults to
            224x224 (the protocol's frame).

    Returns:
        np.ndarray: uint8 ``(h, w)``: 1 foreground, 0 background, 255
        ignored.
    """
    if len(instance_masks) == 0:
        raise ValueError('at least one instance mask is needed')

    def binary(mask: np.ndarray) -> np.ndarray:
        mask = np.asarray(mask, dtype=np.float32)
        if mask.ndim != 2:
            raise ValueError(f'a mask must be 2-D grayscale, got shape '
                             f'{mask.shape}')
        return cv2.resize(
            mask, tuple(size), interpolation=cv2.INTER_NEAREST) > 0.5

    instances = [binary(m) for m in instance_masks]
    ignore = None if ignore_mask is None else binary(ignore_mask)
    return combine_masks(instances, ignore)
