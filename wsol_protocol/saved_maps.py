"""Offline WSOL-protocol evaluation of saved score maps.

The maps are laid out as the protocol's reference code reads them (Choe et
al., CVPR 2020, ``wsolevaluation``): one ``<root>/<image_id>.npy`` per image,
a 224x224 float map in [0, 1] of the whole image, beside a metadata folder
(``image_ids.txt``, ``image_sizes.txt``, ``localization.txt``, ...). The
totals come from the accumulator ``WSOLBoxMetric`` uses
(:class:`~wsol_protocol.accumulator.WSOLProtocolAccumulator`), as
mmpretrain's ``eval_metric.py`` feeds saved results to the registered
metric; ``tools/eval_wsol.py`` is the command line.
"""
import io
import multiprocessing
import os
import os.path as osp
import sys
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence

import cv2
import numpy as np

from .accumulator import WSOLProtocolAccumulator
from .boxes import rescale_boxes_truncate
from .fileio import atomic_write_bytes
from .masks import protocol_gt_mask
from .metadata import load_wsol_metadata
from .metrics import PROTOCOL_SIZE, check_score_map


class EvalError(ValueError):
    """A bad input; the message names the file."""


def scoremap_path(root: str, image_id: str) -> str:
    """``<root>/<image_id>.npy``, as the reference evaluator names maps."""
    return osp.join(root, image_id + '.npy')


def save_scoremap(root: str, image_id: str, score_map: np.ndarray) -> str:
    """Write one map as ``<root>/<image_id>.npy`` (float32), atomically:
    the layout's one writer, so a killed export leaves only whole maps.

    Args:
        root (str): The score-map folder.
        image_id (str): The image's id (its path under the image root,
            extension included, as in ``image_ids.txt``).
        score_map (np.ndarray): (224, 224) in [0, 1].

    Returns:
        str: The file written.
    """
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(score_map, dtype=np.float32),
            allow_pickle=False)
    path = scoremap_path(root, image_id)
    # No fsync per map (thousands of files): the rename alone keeps each
    # file whole; a lost map is rewritten by the resumed run.
    atomic_write_bytes(path, buffer.getvalue(), durable=False)
    return path


@lru_cache(maxsize=None)
def _npy_header(dtype: str) -> bytes:
    """The ``.npy`` header numpy writes for a C-order 224x224 map of dtype:
    a file that starts with it is read without parsing it."""
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((PROTOCOL_SIZE, PROTOCOL_SIZE), dtype))
    return buffer.getvalue()[:-PROTOCOL_SIZE * PROTOCOL_SIZE *
                             np.dtype(dtype).itemsize]


def _read_npy_map(path: str) -> np.ndarray:
    """``np.load(path)``, with the header ``save_scoremap`` writes (or its
    float64 twin) compared as bytes instead of parsed: the parse was a
    third of a map's loading time."""
    with open(path, 'rb') as f:
        for dtype in ('<f4', '<f8'):
            header = _npy_header(dtype)
            f.seek(0)
            if f.read(len(header)) != header:
                continue
            arr = np.empty((PROTOCOL_SIZE, PROTOCOL_SIZE), dtype)
            if f.readinto(memoryview(arr).cast('B')) == arr.nbytes and \
                    not f.read(1):
                return arr
            break
    return np.load(path, allow_pickle=False)


def load_scoremap(path: str) -> np.ndarray:
    """Load and check one map (224x224, real, finite, in [0, 1])."""
    try:
        arr = _read_npy_map(path)
    except FileNotFoundError:
        raise EvalError(f'{path}: score map not found') from None
    except (OSError, ValueError) as err:
        raise EvalError(f'{path}: cannot read as .npy ({err})') from None
    if not isinstance(arr, np.ndarray):
        raise EvalError(f'{path}: holds an archive, not one array')
    if arr.shape != (PROTOCOL_SIZE, PROTOCOL_SIZE):
        raise EvalError(f'{path}: shape {arr.shape}, expected '
                        f'({PROTOCOL_SIZE}, {PROTOCOL_SIZE}) (the whole '
                        'image resized to 224x224)')
    try:
        return check_score_map(arr, path)
    except (TypeError, ValueError) as err:
        raise EvalError(str(err)) from None


def read_mask(path: str) -> np.ndarray:
    mask = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if mask is None:
        raise EvalError(f'{path}: mask not found or not an image')
    return mask


def check_inputs(scoremaps: str, metadata: str, meta: dict,
                 mask_root: Optional[str], ignore_extra: bool) -> None:
    """Metadata kind, missing and extra score maps; errors name a file.

    Args:
        scoremaps (str): The score-map folder.
        metadata (str): The metadata folder.
        meta (dict): What :func:`load_wsol_metadata` read from it.
        mask_root (str, optional): The root of the mask paths.
        ignore_extra (bool): Whether maps of unlisted ids are allowed.
    """
    files = meta['files']
    kind = meta['localization']
    if kind == 'none':
        raise EvalError(f'{osp.join(metadata, "localization.txt")}: '
                        'file not found or empty')
    if kind == 'boxes' and 'image_sizes' not in files:
        raise EvalError(f'{osp.join(metadata, "image_sizes.txt")}: '
                        'file not found (needed to rescale the boxes)')
    if kind == 'masks' and not mask_root:
        raise EvalError(f'{files["localization"]}: lists masks; give '
                        '--mask-root')
    if not osp.isdir(scoremaps):
        raise EvalError(f'{scoremaps}: score-map folder not found')
    missing = [
        scoremap_path(scoremaps, i) for i in meta['image_ids']
        if not osp.isfile(scoremap_path(scoremaps, i))
    ]
    if missing:
        raise EvalError(f'{missing[0]}: score map not found ({len(missing)} '
                        f'of {len(meta["image_ids"])} maps are missing)')
    if ignore_extra:
        return  # a proxy list is a subset: other maps are expected
    expected = {osp.normpath(i + '.npy') for i in meta['image_ids']}
    for folder, _, names in os.walk(scoremaps):
        for file_name in sorted(names):
            path = osp.join(folder, file_name)
            rel = osp.normpath(osp.relpath(path, scoremaps))
            if file_name.endswith('.npy') and rel not in expected:
                raise EvalError(
                    f'{path}: image id {rel[:-4]!r} is not in '
                    f'{files["image_ids"]} (use --ignore-extra to skip such '
                    'files)')


# Per-process settings of the workers (inherited through fork).
_JOB: dict = {}


def _evaluate_image(image_id: str) -> dict:
    """The accumulator's record of one image: box verdicts or histograms."""
    job = _JOB
    meta = job['meta']
    accumulator = job['accumulator']
    scoremap = load_scoremap(scoremap_path(job['scoremaps'], image_id))
    if meta['localization'] == 'boxes':
        gt = rescale_boxes_truncate(meta['boxes'][image_id],
                                    meta['sizes'][image_id],
                                    (PROTOCOL_SIZE, PROTOCOL_SIZE))
        return accumulator.evaluate_image(scoremap, gt_boxes=gt)
    root = job['mask_root']
    masks = [
        read_mask(osp.join(root, path))
        for path in meta['mask_paths'][image_id]
    ]
    ignore = meta['ignore_paths'].get(image_id)
    ignore = read_mask(osp.join(root, ignore)) if ignore else None
    gt_mask = protocol_gt_mask(masks, ignore)
    return accumulator.evaluate_image(scoremap, gt_mask=gt_mask)


def _init_worker(job: dict) -> None:
    _JOB.clear()
    _JOB.update(job)
    cv2.setNumThreads(1)


def _results(job: dict, image_ids: List[str], workers: int) -> Iterable:
    # A worker process costs about as much to start as a few dozen maps.
    workers = min(workers, max(1, len(image_ids) // 32))
    if workers == 1:
        _init_worker(job)
        yield from map(_evaluate_image, image_ids)
        return
    ctx = multiprocessing.get_context(
        'fork' if 'fork' in multiprocessing.get_all_start_methods() else None)
    with ctx.Pool(workers, _init_worker, (job, )) as pool:
        chunk = max(1, min(32, len(image_ids) // (workers * 8)))
        yield from pool.imap(_evaluate_image, image_ids, chunksize=chunk)


def evaluate_saved_maps(scoremaps: str,
                        metadata: str,
                        iou: Sequence[int] = (30, 50, 70),
                        multi_contour: bool = False,
                        cam_curve_interval: float = 0.01,
                        mask_root: Optional[str] = None,
                        proxy: bool = False,
                        ignore_extra: bool = False,
                        workers: int = 1,
                        progress: bool = False,
                        largest_contour: bool = True) -> Dict[str, float]:
    """The protocol's metrics of saved score maps, as ``WSOLBoxMetric``
    computes them (the same accumulator).

    Args:
        scoremaps (str): Folder of ``<image_id>.npy`` maps (224 x 224, in
            [0, 1], the whole image).
        metadata (str): A WSOL metadata folder of one split.
        iou (Sequence[int]): IoU thresholds in percent.
        multi_contour (bool): Every contour counts (MaxBoxAccV2).
        cam_curve_interval (float): Step of the threshold grid.
        mask_root (str, optional): Root of the mask paths (mask metadata).
        proxy (bool): Use ``image_ids_proxy.txt`` (maps of other ids are
            then expected).
        ignore_extra (bool): Allow maps of ids the metadata does not list.
        workers (int): Processes.
        progress (bool): Show a progress bar on stderr.
        largest_contour (bool): Also MaxBoxAcc (largest contour); False
            with ``multi_contour``: MaxBoxAccV2 and the per-IoU numbers
            alone, as the reference's ``multi_contour_eval=True``.

    Returns:
        dict: MaxBoxAcc (and MaxBoxAccV2, per-IoU values, best thresholds)
        or PxAP, plus ``num_images``.

    Raises:
        EvalError | WSOLMetadataError: On a bad input, naming the file.
    """
    meta = load_wsol_metadata(metadata, proxy)
    check_inputs(scoremaps, metadata, meta, mask_root, ignore_extra or proxy)
    accumulator = WSOLProtocolAccumulator(iou, multi_contour,
                                          cam_curve_interval, largest_contour)
    job = dict(
        meta=meta,
        scoremaps=scoremaps,
        mask_root=mask_root,
        accumulator=accumulator)
    image_ids = meta['image_ids']
    records = _results(job, image_ids, workers)
    if progress:
        # tqdm, not mmengine's bar: importing mmengine alone takes longer
        # than evaluating a few hundred maps.
        from tqdm import tqdm
        records = tqdm(records, total=len(image_ids), file=sys.stderr,
                       unit='map')
    for record in records:
        accumulator.add(record)
    metrics: Dict[str, float] = accumulator.box_metrics()
    try:
        metrics.update(accumulator.pixel_metrics())
    except ValueError as err:
        raise EvalError(f'{scoremaps}: {err}') from None
    metrics['num_images'] = len(image_ids)
    return metrics
