"""Label files made from the ground-truth masks instead of GPPL.

Stage 2 (MFF-Net2) trained on these is the upper-bound reference of the
WSOL tables: the same segmentor, schedule and images as SPOL's, with the
true object masks as its labels. The files are the GPPL hook's in every
respect (:func:`~spol_mm.pseudo_label.io.label_path`,
:func:`~spol_mm.pseudo_label.io.write_label_pngs`, a ``gppl_meta.json``
marked complete at the end), so a stage-2 dataset reads them through its
``seg_map_root``; the meta records ``source: 'gt_mask'``.

Command line: ``tools/dataset_converters/gt_masks_to_labels.py``.
"""
import os
import os.path as osp
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..utils.fileio import remove_stale_temps
from .io import label_path, write_label_pngs
from .meta import GT_MASK_SOURCE, check_resumable, write_pseudo_label_meta

#: The resolution the labels are made at, as GPPL's (``GPPLHook.size``).
DEFAULT_LABEL_SIZE = (256, 256)


def gt_mask_label_params(size: Sequence[int] = DEFAULT_LABEL_SIZE,
                         threshold: int = 127) -> Dict[str, Any]:
    """The ``params`` of a GT-mask label directory's ``gppl_meta.json``.

    Args:
        size (Sequence[int]): (h, w) the labels are made at.
        threshold (int): Foreground when a mask value is above it (masks of
            only 0/1 are taken as they are), as :class:`LoadWSOLMask`.

    Returns:
        dict: ``source`` (``'gt_mask'``), ``size`` and ``mask_threshold``.
    """
    return dict(
        source=GT_MASK_SOURCE,
        size=[int(size[0]), int(size[1])],
        mask_threshold=int(threshold))


def gt_mask_to_label(mask: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """A GT mask as a label map at ``size``: nearest-neighbour resizing.

    Args:
        mask (np.ndarray): uint8 (H, W): 1 object, 0 background (255 where
            the data set has an ignore mask).
        size (Sequence[int]): (h, w) of the label.

    Returns:
        np.ndarray: uint8 (h, w), values of ``mask`` only.
    """
    if mask.dtype != np.uint8 or mask.ndim != 2:
        raise ValueError(f'a GT mask label must be uint8 (H, W), got '
                         f'{mask.dtype} {mask.shape}')
    h, w = int(size[0]), int(size[1])
    if tuple(mask.shape) == (h, w):
        return mask.copy()
    return cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)


def _mask_paths(info: Dict[str, Any]) -> List[str]:
    paths = info.get('gt_mask_path')
    paths = [paths] if isinstance(paths, str) else list(paths or [])
    return [p for p in paths if p]


def gt_mask_entries(dataset: Any) -> List[Dict[str, Any]]:
    """Every entry's id, image and masks, checked: each has a GT mask file
    and no two share a label file.

    Args:
        dataset: A WSOL dataset (``get_data_info`` entries with ``img_id``,
            ``img_path`` and ``gt_mask_path``).

    Returns:
        list[dict]: ``img_id``, ``img_path``, ``gt_mask_path`` (a list) and
        ``gt_ignore_mask_path`` of each entry, in the dataset's order.
    """
    if not hasattr(dataset, 'get_data_info'):
        raise TypeError(f'{type(dataset).__name__} has no get_data_info(); '
                        'GT-mask labels need a WSOL dataset (mmengine '
                        'BaseDataset entries with img_id and gt_mask_path)')
    entries, no_mask, missing, stems = [], [], [], {}
    name = type(dataset).__name__
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        if 'img_id' not in info:
            raise KeyError(f'{name}[{index}] has no `img_id` (see the data '
                           'contract)')
        img_id = str(info['img_id'])
        stem = osp.splitext(img_id)[0]
        if stem in stems:
            raise ValueError(f'{name}: images {stems[stem]!r} and {img_id!r} '
                             f'would share the label file {stem}.png')
        stems[stem] = img_id
        masks = _mask_paths(info)
        if not masks:
            no_mask.append(f'{img_id} ({info.get("img_path")})')
        missing.extend(f'{img_id}: {p}' for p in masks if not osp.isfile(p))
        entries.append(
            dict(
                img_id=img_id,
                img_path=info['img_path'],
                gt_mask_path=masks,
                gt_ignore_mask_path=info.get('gt_ignore_mask_path')))
    if no_mask:
        raise ValueError(
            f'{name}: {len(no_mask)} of {len(entries)} images have no GT '
            f'mask (gt_mask_path), e.g. {no_mask[0]}; GT-mask labels need '
            'a mask for every training image (CUB: segmentations/)')
    if missing:
        raise FileNotFoundError(
            f'{name}: {len(missing)} GT mask file(s) not found, first of '
            f'image {missing[0]}')
    return entries


def load_gt_mask_label(entry: Dict[str, Any], size: Sequence[int],
                       threshold: int = 127
                       ) -> Tuple[np.ndarray, Tuple[int, int]]:
    """The GT-mask label of one image at ``size``, and the image's (h, w).

    Args:
        entry (dict): One of :func:`gt_mask_entries`.
        size (Sequence[int]): (h, w) of the label.
        threshold (int): Mask binarisation threshold, as
            :class:`LoadWSOLMask`.

    Returns:
        tuple[np.ndarray, tuple[int, int]]: uint8 (h, w) label (1 object,
        0 background, 255 ignored) and the image's decoded size.
    """
    # Imported here: the datasets import this package (label paths, meta).
    from spol_mm.datasets.transforms.loading import (
        LoadWSOLImage, LoadWSOLMask)
    try:
        # The image's decoded size (EXIF orientation applied), as GPPL's
        # ori_shape; the mask must have it (LoadWSOLMask checks).
        results = LoadWSOLImage().transform(dict(img_path=entry['img_path']))
        results.update(
            gt_mask_path=entry['gt_mask_path'],
            gt_ignore_mask_path=entry['gt_ignore_mask_path'])
        mask = LoadWSOLMask(threshold).transform(results)['gt_seg_map']
    except FileNotFoundError as err:
        raise FileNotFoundError(f'image {entry["img_id"]}: {err}') from err
    except ValueError as err:  # undecodable, or mask and image sizes differ
        raise ValueError(f'image {entry["img_id"]}: {err}') from err
    return gt_mask_to_label(mask, size), tuple(results['ori_shape'][:2])


def write_gt_mask_labels(dataset: Any,
                         out_dir: str,
                         size: Sequence[int] = DEFAULT_LABEL_SIZE,
                         threshold: int = 127,
                         num_threads: int = 4,
                         chunk_size: int = 64,
                         info: Optional[Dict[str, Any]] = None) -> str:
    """Write every image's GT mask as its label file, for stage 2.

    For each entry of ``dataset``: the GT mask (several are united; an
    ignore mask gives 255, as :class:`LoadWSOLMask`) binarised at
    ``threshold`` -> nearest resize to ``size`` (the resolution GPPL's
    labels have) -> nearest resize to the image's size ->
    ``<out_dir>/<img_id without extension>.png`` (uint8: 1 object, 0
    background), written atomically by :func:`write_label_pngs`. Then
    ``gppl_meta.json`` with :func:`gt_mask_label_params` as its params,
    marked complete once every file is written and flushed. Existing label
    files are kept, so an interrupted run resumes; a directory made with
    other params or images is refused.

    Args:
        dataset: A WSOL dataset (``get_data_info`` entries with ``img_id``,
            ``img_path`` and ``gt_mask_path``), e.g. stage 2's training set
            without ``seg_map_root``.
        out_dir (str): Where the labels go.
        size (Sequence[int]): (h, w) the labels are made at. Defaults to
            (256, 256).
        threshold (int): Mask binarisation threshold. Defaults to 127.
        num_threads (int): Reader and writer threads; 0: this thread only.
        chunk_size (int): Images read before a batch of files is written.
        info (dict, optional): Informative meta entries (not checked).

    Returns:
        str: ``out_dir``.

    Raises:
        ValueError: An image without a GT mask (named), a mask of another
            size than its image, or ``out_dir`` made differently.
        FileNotFoundError: A GT mask file is missing (its image named).
    """
    params = gt_mask_label_params(size, threshold)
    size = tuple(params['size'])
    entries = gt_mask_entries(dataset)
    img_ids = [e['img_id'] for e in entries]
    check_resumable(out_dir, params, img_ids, GT_MASK_SOURCE)
    remove_stale_temps(out_dir, recursive=True)  # of a killed run
    write_pseudo_label_meta(out_dir, params, img_ids, False, **(info or {}))

    pending = [
        e for e in entries
        if not osp.exists(label_path(out_dir, e['img_id']))
    ]
    pool = ThreadPoolExecutor(num_threads) if num_threads > 0 else None
    try:
        for start in range(0, len(pending), max(1, chunk_size)):
            chunk = pending[start:start + max(1, chunk_size)]

            def load(entry):
                return load_gt_mask_label(entry, size, threshold)

            loaded = list(pool.map(load, chunk)) if pool else \
                [load(e) for e in chunk]
            write_label_pngs(out_dir, [e['img_id'] for e in chunk],
                             [label for label, _ in loaded],
                             [shape for _, shape in loaded], num_threads)
    finally:
        if pool is not None:
            pool.shutdown()

    missing = [i for i in img_ids if not osp.exists(label_path(out_dir, i))]
    if missing:
        raise RuntimeError(f'GT-mask labels: {len(missing)} label(s) were '
                           f'not written, e.g. {missing[:3]}')
    # The label files skip fsync one by one: flush before calling it done.
    os.sync()
    write_pseudo_label_meta(out_dir, params, img_ids, True, **(info or {}))
    return out_dir
