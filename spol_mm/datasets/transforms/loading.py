"""Loading the ground-truth object mask of a WSOL image."""
from typing import List, Optional, Union

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform

from spol_mm.registry import TRANSFORMS


def binarize_mask(raw: np.ndarray, threshold: int = 127) -> np.ndarray:
    """Foreground of a mask image as uint8 0/1.

    A mask whose values are all 0 or 1 is taken as labels already;
    otherwise (0/255 masks, CUB's soft annotator-vote masks) foreground is
    ``value > threshold``.

    Args:
        raw (np.ndarray): ``(H, W)`` mask image.
        threshold (int): Foreground when above it. Defaults to 127 (more
            than half of 255).

    Returns:
        np.ndarray: ``(H, W)`` uint8 in {0, 1}.
    """
    if raw.size and raw.max() <= 1:
        return (raw > 0).astype(np.uint8)
    return (raw > threshold).astype(np.uint8)


def combine_masks(instances: List[np.ndarray],
                  ignore: Optional[np.ndarray] = None,
                  ignore_index: int = 255) -> np.ndarray:
    """Union of instance masks, with an optional ignore region.

    As in the WSOL protocol's reference evaluator, the ignore value goes
    only where the ignore mask is set and no instance is.

    Args:
        instances (list[np.ndarray]): uint8 0/1 masks of one image.
        ignore (np.ndarray, optional): uint8 0/1 ignore mask.
        ignore_index (int): Value of ignored pixels. Defaults to 255.

    Returns:
        np.ndarray: ``(H, W)`` uint8: 1 foreground, 0 background,
        ``ignore_index`` ignored.
    """
    label = np.zeros_like(instances[0], dtype=np.uint8)
    for mask in instances:
        label |= mask.astype(np.uint8)
    if ignore is not None:
        label[(ignore > 0) & (label == 0)] = ignore_index
    return label


@TRANSFORMS.register_module()
class LoadWSOLMask(BaseTransform):
    """Load the GT object mask (``gt_mask_path``) into ``gt_seg_map``.

    Does nothing when the image has no mask (``gt_mask_path`` None), so one
    pipeline serves data sets with and without masks. The mask then follows
    the image through mmcv's ``Resize`` / ``CenterCrop`` / ``RandomFlip`` and
    spol_mm's crops (``'gt_seg_map'`` is also added to ``seg_fields`` for
    mmseg's transforms).

    Required keys: ``gt_mask_path`` (str, list of str or None), optional
    ``gt_ignore_mask_path``, ``img`` (for the size check).
    Added keys: ``gt_seg_map`` (uint8 (H, W): 1 object, 0 background,
    ``ignore_index`` where an ignore mask says so), ``seg_fields``.

    Args:
        threshold (int): Foreground when the mask value is above it (masks
            holding only 0/1 are taken as they are). Defaults to 127.
        ignore_index (int): Value for ignored pixels. Defaults to 255.
        backend_args (dict, optional): mmengine file backend arguments.
    """

    def __init__(self,
                 threshold: int = 127,
                 ignore_index: int = 255,
                 backend_args: Optional[dict] = None) -> None:
        self.threshold = threshold
        self.ignore_index = ignore_index
        self.backend_args = backend_args

    def _read(self, path: str) -> np.ndarray:
        try:
            data = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            raise FileNotFoundError(f'GT mask not found: {path}') from None
        raw = mmcv.imfrombytes(data, flag='grayscale', backend='cv2')
        if raw is None:
            raise ValueError(f'GT mask could not be decoded: {path}')
        return binarize_mask(raw, self.threshold)

    def transform(self, results: dict) -> dict:
        """Add ``gt_seg_map`` when the image has a GT mask."""
        paths: Union[str, List[str], None] = results.get('gt_mask_path')
        if not paths:
            return results
        paths = [paths] if isinstance(paths, str) else list(paths)
        img = results.get('img')
        shape = img.shape[:2] if img is not None else None
        masks = []
        for path in paths + [results.get('gt_ignore_mask_path') or '']:
            if not path:
                continue
            mask = self._read(path)
            if shape is None:
                shape = mask.shape
            if mask.shape != tuple(shape):
                raise ValueError(
                    f'GT mask {path} is {mask.shape[1]}x{mask.shape[0]} '
                    f'(w x h) but its image is {shape[1]}x{shape[0]}')
            masks.append(mask)
        ignore = masks.pop() if results.get('gt_ignore_mask_path') else None
        results['gt_seg_map'] = combine_masks(masks, ignore, self.ignore_index)
        seg_fields = results.setdefault('seg_fields', [])
        if 'gt_seg_map' not in seg_fields:
            seg_fields.append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(threshold={self.threshold}, '
                f'ignore_index={self.ignore_index})')
