"""Crops that carry boxes and masks with the image and record the crop.

mmcv's ``Resize``, ``CenterCrop`` and ``RandomFlip`` already move
``gt_bboxes`` and ``gt_seg_map`` with the image (continuous coordinates:
``x * scale``, ``x - offset`` then clip, ``w - x``). Missing pieces filled
here: mmcv's ``CenterCrop`` does not record where it cropped, and the random
crops of mmpretrain / mmseg leave boxes (and, for mmpretrain, masks) behind.
"""
from typing import Iterator, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms import CenterCrop as MMCVCenterCrop
from mmcv.transforms.utils import cache_randomness

from spol_mm.registry import TRANSFORMS
from spol_mm.structures import crop_boxes


def _seg_keys(results: dict) -> Iterator[str]:
    """``gt_seg_map`` and mmseg's ``seg_fields``, each once, if present."""
    keys = ['gt_seg_map'] + list(results.get('seg_fields', []))
    for key in dict.fromkeys(keys):
        if results.get(key) is not None:
            yield key


def crop_array(array: np.ndarray, crop_bbox: np.ndarray) -> np.ndarray:
    """``array[y0:y1, x0:x1]`` for ``crop_bbox = x0, y0, x1, y1`` (exclusive).
    """
    x0, y0, x1, y1 = (int(v) for v in crop_bbox)
    return array[y0:y1, x0:x1, ...]


@TRANSFORMS.register_module()
class WSOLRandomCrop(BaseTransform):
    """Random crop that moves ``gt_bboxes`` and masks with the image.

    Boxes are shifted into the crop and clipped to it (a box left outside
    becomes empty but stays, so it remains aligned with ``ori_gt_bboxes``);
    ``gt_seg_map`` and every key of ``seg_fields`` are cropped alike.

    Required keys: ``img``; optional ``gt_bboxes``, ``gt_seg_map``,
    ``seg_fields``.
    Modified keys: ``img``, ``img_shape``, ``gt_bboxes``, masks.
    Added keys: ``crop_bbox`` (np.ndarray int ``x0, y0, x1, y1`` of the crop
    in the frame before it, ``x1, y1`` exclusive).

    Args:
        crop_size (int | tuple[int, int]): Output ``(h, w)`` (the order of
            mmpretrain's and mmseg's ``RandomCrop``), or one int for a
            square.
    """

    def __init__(self, crop_size: Union[int, Tuple[int, int]]) -> None:
        if isinstance(crop_size, int):
            crop_size = (crop_size, crop_size)
        crop_size = tuple(int(v) for v in crop_size)
        if len(crop_size) != 2 or min(crop_size) <= 0:
            raise ValueError(f'crop_size must be a positive int or (h, w), '
                             f'got {crop_size}')
        self.crop_size = crop_size

    @cache_randomness
    def _offset(self, img_h: int, img_w: int) -> Tuple[int, int]:
        """Random top-left corner ``(y0, x0)``, uniform over valid ones."""
        crop_h, crop_w = self.crop_size
        return (np.random.randint(0, img_h - crop_h + 1),
                np.random.randint(0, img_w - crop_w + 1))

    def transform(self, results: dict) -> dict:
        """Crop the image, its boxes and masks at a random place."""
        img = results['img']
        img_h, img_w = img.shape[:2]
        crop_h, crop_w = self.crop_size
        if img_h < crop_h or img_w < crop_w:
            raise ValueError(
                f'{type(self).__name__}: image {img_w}x{img_h} (w x h) is '
                f'smaller than the crop {crop_w}x{crop_h}; resize it first')
        y0, x0 = self._offset(img_h, img_w)
        crop_bbox = np.array([x0, y0, x0 + crop_w, y0 + crop_h],
                             dtype=np.int64)
        results['img'] = crop_array(img, crop_bbox)
        results['img_shape'] = results['img'].shape[:2]
        for key in list(_seg_keys(results)):
            results[key] = crop_array(results[key], crop_bbox)
        if results.get('gt_bboxes') is not None:
            results['gt_bboxes'] = crop_boxes(results['gt_bboxes'], crop_bbox)
        results['crop_bbox'] = crop_bbox
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(crop_size={self.crop_size})'


@TRANSFORMS.register_module()
class WSOLCenterCrop(MMCVCenterCrop):
    """mmcv's ``CenterCrop`` that also records ``crop_bbox``.

    Everything else (the crop position, boxes shifted and clipped, the
    ``gt_seg_map`` crop, ``auto_pad``) is mmcv's; keys listed in mmseg's
    ``seg_fields`` are cropped too.

    Added keys: ``crop_bbox`` (np.ndarray int ``x0, y0, x1, y1`` of the crop
    in the frame before it, ``x1, y1`` exclusive).

    Args:
        crop_size (int | tuple[int, int]): Output ``(w, h)`` as in mmcv's
            ``CenterCrop``, or one int for a square.
        **kwargs: The other arguments of mmcv's ``CenterCrop``.
    """

    def _crop_img(self, results: dict, bboxes: np.ndarray) -> None:
        # mmcv passes the crop as inclusive x0, y0, x1, y1.
        x0, y0, x1, y1 = (int(v) for v in bboxes)
        results['crop_bbox'] = np.array([x0, y0, x1 + 1, y1 + 1],
                                        dtype=np.int64)
        super()._crop_img(results, bboxes)

    def _crop_seg_map(self, results: dict, bboxes: np.ndarray) -> None:
        super()._crop_seg_map(results, bboxes)  # gt_seg_map
        x0, y0, x1, y1 = (int(v) for v in bboxes)
        exclusive = np.array([x0, y0, x1 + 1, y1 + 1])
        for key in _seg_keys(results):
            if key != 'gt_seg_map':
                results[key] = crop_array(results[key], exclusive)
