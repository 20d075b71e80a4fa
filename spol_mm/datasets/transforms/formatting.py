"""Packing a WSOL sample: image, label, boxes in the input frame, mask."""
from typing import Sequence

import numpy as np
import torch
from mmpretrain.datasets.transforms import PackInputs

from spol_mm.registry import TRANSFORMS

BOX_KEYS = ('gt_bboxes', 'ori_gt_bboxes')


@TRANSFORMS.register_module()
class PackWSOLInputs(PackInputs):
    """mmpretrain's ``PackInputs`` plus what WSOL evaluation needs.

    Output: ``inputs`` (C, H, W) tensor and ``data_samples``, an
    :class:`mmpretrain.structures.DataSample` with ``gt_label``, the
    metainfo keys below that are present (``gt_bboxes`` / ``ori_gt_bboxes``
    as float32 ``(N, 4)`` numpy arrays: the input frame / the original
    image), and, when a GT mask was loaded, the data field ``gt_mask``
    (uint8 ``(H, W)`` tensor in the input frame).

    Args:
        input_key (str): Key of the image. Defaults to ``'img'``.
        algorithm_keys (Sequence[str]): More keys to store as data fields.
        meta_keys (Sequence[str]): Keys stored as metainfo. Defaults to
            :attr:`DEFAULT_META_KEYS`.
        mask_key (str): Result key packed as ``gt_mask``. Defaults to
            ``'gt_seg_map'``.
    """

    DEFAULT_META_KEYS = ('sample_idx', 'img_path', 'img_id', 'ori_shape',
                         'img_shape', 'gt_bboxes', 'ori_gt_bboxes',
                         'scale_factor', 'crop_bbox', 'flip', 'flip_direction')

    def __init__(self,
                 input_key: str = 'img',
                 algorithm_keys: Sequence[str] = (),
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS,
                 mask_key: str = 'gt_seg_map') -> None:
        super().__init__(
            input_key=input_key,
            algorithm_keys=algorithm_keys,
            meta_keys=meta_keys)
        self.mask_key = mask_key

    def transform(self, results: dict) -> dict:
        """Pack the image and the WSOL annotations."""
        results = dict(results)
        for key in BOX_KEYS:
            if results.get(key) is not None:
                # mmcv's Resize returns float64 boxes.
                results[key] = np.asarray(
                    results[key], dtype=np.float32).reshape(-1, 4)
        packed = super().transform(results)
        mask = results.get(self.mask_key)
        if mask is not None:
            packed['data_samples'].set_field(
                torch.from_numpy(np.ascontiguousarray(mask, dtype=np.uint8)),
                'gt_mask')
        return packed

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] + f", mask_key='{self.mask_key}')")
