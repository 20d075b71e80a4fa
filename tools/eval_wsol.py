"""Evaluate saved score maps with the standard WSOL protocol.

Numbers equal those of the protocol's reference evaluator (Choe et al.,
CVPR 2020, ``wsolevaluation``) on the same maps: MaxBoxAcc (largest
contour, IoU 50), with ``--multi-contour`` MaxBoxAccV2 (every contour, mean
over ``--iou``) and per-IoU MaxBoxAcc / best thresholds, or PxAP when the
metadata holds masks (OpenImages). See
:mod:`spol_mm.evaluation.functional.wsol_protocol` for the conventions.

Inputs:
    --scoremaps DIR  one ``DIR/<image_id>.npy`` per image (the reference's
                     naming: the id, extension included, plus ``.npy``;
                     ids may contain ``/``): a 224x224 float map in [0, 1]
                     of the whole image.
    --metadata DIR   a WSOL metadata folder (``image_ids.txt``,
                     ``image_sizes.txt``, ``localization.txt``, ...), see
                     :mod:`spol_mm.evaluation.functional.wsol_metadata`.
    --mask-root DIR  the folder the mask paths of ``localization.txt`` are
                     relative to (the reference passes
                     ``<mask_root>/OpenImages``); an image's ignore mask is
                     optional here.

Example::

    python tools/eval_wsol.py --scoremaps work_dirs/cam/scoremaps \\
        --metadata metadata/CUB/test --multi-contour --out cub_test.json
"""
import argparse
import json
import multiprocessing
import os
import os.path as osp
import sys
import tempfile
from typing import Dict, Iterable, List, Optional, Sequence

import cv2
import numpy as np
from mmengine.utils import ProgressBar

from spol_mm.evaluation.functional import (PROTOCOL_SIZE, WSOLMetadataError,
                                           box_best_ious_both, box_correct,
                                           check_score_map, load_wsol_metadata,
                                           max_box_acc, mean_max_box_acc,
                                           protocol_gt_mask,
                                           protocol_thresholds, pxap,
                                           pxap_histograms,
                                           rescale_boxes_truncate,
                                           summarize_box_counts)


class EvalError(ValueError):
    """A bad input; the message names the file."""


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='WSOL protocol evaluation of saved score maps '
        '(MaxBoxAcc, MaxBoxAccV2, PxAP)')
    parser.add_argument(
        '--scoremaps', required=True, help='folder of <image_id>.npy maps')
    parser.add_argument(
        '--metadata', required=True, help='WSOL metadata folder of a split')
    parser.add_argument(
        '--multi-contour',
        action='store_true',
        help='every contour counts (MaxBoxAccV2), not only the largest')
    parser.add_argument(
        '--iou',
        type=int,
        nargs='+',
        default=[30, 50, 70],
        help='IoU thresholds in percent (default: 30 50 70)')
    parser.add_argument(
        '--cam-curve-interval',
        type=float,
        default=0.01,
        help='step of the score-map threshold grid (default: 0.01)')
    parser.add_argument(
        '--mask-root', help='root of the mask paths (mask metadata)')
    parser.add_argument(
        '--proxy', action='store_true', help='use image_ids_proxy.txt')
    parser.add_argument(
        '--ignore-extra',
        action='store_true',
        help='ignore .npy files of ids not in the metadata (an error '
        'otherwise, except with --proxy)')
    parser.add_argument(
        '--workers',
        type=int,
        default=min(os.cpu_count() or 1, 8),
        help='processes (default: the CPU count, at most 8)')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--out', required=True, help='output JSON file')
    args = parser.parse_args(argv)
    if not 0 < args.cam_curve_interval < 1:
        parser.error('--cam-curve-interval must be in (0, 1)')
    if any(not 0 < v <= 100 for v in args.iou):
        parser.error('--iou values must be in (0, 100]')
    if args.workers < 1:
        parser.error('--workers must be >= 1')
    return args


def scoremap_path(root: str, image_id: str) -> str:
    """``<root>/<image_id>.npy``, as the reference evaluator names maps."""
    return osp.join(root, image_id + '.npy')


def load_scoremap(path: str) -> np.ndarray:
    """Load and check one map (224x224, real, finite, in [0, 1])."""
    try:
        arr = np.load(path, allow_pickle=False)
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


def check_inputs(args: argparse.Namespace, meta: dict) -> None:
    """Metadata kind, missing and extra score maps; errors name a file."""
    files = meta['files']
    kind = meta['localization']
    if kind == 'none':
        raise EvalError(f'{osp.join(args.metadata, "localization.txt")}: '
                        'file not found or empty')
    if kind == 'boxes' and 'image_sizes' not in files:
        raise EvalError(f'{osp.join(args.metadata, "image_sizes.txt")}: '
                        'file not found (needed to rescale the boxes)')
    if kind == 'masks' and not args.mask_root:
        raise EvalError(f'{files["localization"]}: lists masks; give '
                        '--mask-root')
    if not osp.isdir(args.scoremaps):
        raise EvalError(f'{args.scoremaps}: score-map folder not found')
    missing = [
        scoremap_path(args.scoremaps, i) for i in meta['image_ids']
        if not osp.isfile(scoremap_path(args.scoremaps, i))
    ]
    if missing:
        raise EvalError(f'{missing[0]}: score map not found ({len(missing)} '
                        f'of {len(meta["image_ids"])} maps are missing)')
    if args.ignore_extra or args.proxy:
        return  # a proxy list is a subset: other maps are expected
    expected = {osp.normpath(i + '.npy') for i in meta['image_ids']}
    for folder, _, names in os.walk(args.scoremaps):
        for file_name in sorted(names):
            path = osp.join(folder, file_name)
            rel = osp.normpath(osp.relpath(path, args.scoremaps))
            if file_name.endswith('.npy') and rel not in expected:
                raise EvalError(
                    f'{path}: image id {rel[:-4]!r} is not in '
                    f'{files["image_ids"]} (use --ignore-extra to skip such '
                    'files)')


# Per-process settings of the workers (inherited through fork).
_JOB: dict = {}


def _evaluate_image(image_id: str):
    """Verdicts (boxes) or histograms (masks) of one image."""
    job = _JOB
    meta = job['meta']
    scoremap = load_scoremap(scoremap_path(job['scoremaps'], image_id))
    if meta['localization'] == 'boxes':
        gt = rescale_boxes_truncate(meta['boxes'][image_id],
                                    meta['sizes'][image_id],
                                    (PROTOCOL_SIZE, PROTOCOL_SIZE))
        ious = box_best_ious_both(
            scoremap,
            gt,
            job['thresholds'],
            single_contour=True,
            multi_contour=job['multi_contour'])
        single = box_correct(ious['single'], job['single_ious'])
        multi = box_correct(ious['multi'], job['ious']) \
            if job['multi_contour'] else None
        return single, multi
    root = job['mask_root']
    masks = [
        read_mask(osp.join(root, path))
        for path in meta['mask_paths'][image_id]
    ]
    ignore = meta['ignore_paths'].get(image_id)
    ignore = read_mask(osp.join(root, ignore)) if ignore else None
    gt_mask = protocol_gt_mask(masks, ignore)
    return pxap_histograms(scoremap, gt_mask, job['thresholds'])


def _init_worker(job: dict) -> None:
    _JOB.clear()
    _JOB.update(job)
    cv2.setNumThreads(1)


def _results(job: dict, image_ids: List[str], workers: int) -> Iterable:
    if workers == 1 or len(image_ids) < 2:
        _init_worker(job)
        yield from map(_evaluate_image, image_ids)
        return
    ctx = multiprocessing.get_context(
        'fork' if 'fork' in multiprocessing.get_all_start_methods() else None)
    with ctx.Pool(workers, _init_worker, (job, )) as pool:
        chunk = max(1, min(32, len(image_ids) // (workers * 8)))
        yield from pool.imap(_evaluate_image, image_ids, chunksize=chunk)


def evaluate(args: argparse.Namespace) -> Dict[str, float]:
    """Run the evaluation; returns the metrics (see the module docstring).

    Raises:
        EvalError | WSOLMetadataError: On a bad input, naming the file.
    """
    meta = load_wsol_metadata(args.metadata, args.proxy)
    check_inputs(args, meta)
    ious = tuple(args.iou)
    thresholds = protocol_thresholds(args.cam_curve_interval)
    job = dict(
        meta=meta,
        scoremaps=args.scoremaps,
        mask_root=args.mask_root,
        thresholds=thresholds,
        multi_contour=args.multi_contour,
        ious=ious,
        single_ious=tuple(sorted(set(ious) | {50})))
    image_ids = meta['image_ids']
    progress = None if args.no_progress else ProgressBar(
        len(image_ids), file=sys.stderr)
    num_thr = len(thresholds)
    single = np.zeros((len(job['single_ious']), num_thr), dtype=np.int64)
    multi = np.zeros((len(ious), num_thr), dtype=np.int64)
    hists = np.zeros((2, num_thr + 2), dtype=np.int64)
    for result in _results(job, image_ids, args.workers):
        if meta['localization'] == 'boxes':
            single += result[0]
            if result[1] is not None:
                multi += result[1]
        else:
            hists += np.stack(result)
        if progress is not None:
            progress.update()
    if progress is not None:
        sys.stderr.write('\n')

    num = len(image_ids)
    metrics: Dict[str, float] = {}
    if meta['localization'] == 'boxes':
        mid = job['single_ious'].index(50)
        acc, _ = max_box_acc(single[mid:mid + 1], num, thresholds)
        metrics['MaxBoxAcc'] = float(acc[0])
        if args.multi_contour:
            metrics['MaxBoxAccV2'] = mean_max_box_acc(multi, num, thresholds)
            per_iou = multi
        else:
            per_iou = single[[job['single_ious'].index(v) for v in ious]]
        metrics.update(summarize_box_counts(per_iou, num, thresholds, ious))
    else:
        try:
            metrics['PxAP'] = pxap(hists[0], hists[1])
        except ValueError as err:
            raise EvalError(f'{args.scoremaps}: {err}') from None
    metrics['num_images'] = num
    return metrics


def write_json_atomic(data: dict, path: str) -> None:
    """Write ``data`` as JSON through a temporary file in the same folder."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix='.' + osp.basename(path), suffix='.tmp')
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(data, f, indent=2)
            f.write('\n')
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def format_table(metrics: Dict[str, float]) -> str:
    rows = [(k, f'{v:.2f}' if k.startswith(('Max', 'PxAP')) else f'{v:g}')
            for k, v in metrics.items()]
    width = max(len(k) for k, _ in rows)
    line = '-' * (width + 12)
    return '\n'.join([line] + [f'{k:<{width}}  {v:>8}'
                               for k, v in rows] + [line])


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, float]:
    args = parse_args(argv)
    try:
        metrics = evaluate(args)
    except (EvalError, WSOLMetadataError) as err:
        sys.exit(f'eval_wsol: error: {err}')
    print(format_table(metrics))
    write_json_atomic(metrics, args.out)
    print(f'Saved to {args.out}')
    return metrics


if __name__ == '__main__':
    main()
