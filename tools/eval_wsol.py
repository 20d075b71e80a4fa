"""Evaluate saved score maps with the standard WSOL protocol.

Numbers equal those of the protocol's reference evaluator (Choe et al.,
CVPR 2020, ``wsolevaluation``) on the same maps: MaxBoxAcc (largest
contour, IoU 50), with ``--multi-contour`` MaxBoxAccV2 (every contour, mean
over ``--iou``) and per-IoU MaxBoxAcc / best thresholds (MaxBoxAcc left out
with ``--skip-largest-contour``), or PxAP when the metadata holds masks
(OpenImages). See :mod:`wsol_protocol.metrics` for the
conventions; the totals come from the accumulator ``WSOLBoxMetric`` uses
(:class:`~wsol_protocol.WSOLProtocolAccumulator`). Only the
``wsol_protocol`` package is imported (numpy and OpenCV; no torch, no
OpenMMLab), so the tool starts in a fraction of a second.

Inputs:
    --scoremaps DIR  one ``DIR/<image_id>.npy`` per image (the reference's
                     naming: the id, extension included, plus ``.npy``;
                     ids may contain ``/``): a 224x224 float map in [0, 1]
                     of the whole image.
    --metadata DIR   a WSOL metadata folder (``image_ids.txt``,
                     ``image_sizes.txt``, ``localization.txt``, ...), see
                     :func:`wsol_protocol.metadata.load_wsol_metadata`.
    --mask-root DIR  the folder the mask paths of ``localization.txt`` are
                     relative to (the reference passes
                     ``<mask_root>/OpenImages``); an image's ignore mask is
                     optional here.

Example::

    python tools/eval_wsol.py --scoremaps work_dirs/cam/scoremaps \\
        --metadata metadata/CUB/test --multi-contour --out cub_test.json
"""
import argparse
import os
import sys
from typing import Dict, Optional, Sequence

from wsol_protocol import EvalError, WSOLMetadataError, evaluate_saved_maps
from wsol_protocol.fileio import atomic_write_json
from wsol_protocol.tables import metric_table


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
        '--skip-largest-contour',
        action='store_true',
        help='with --multi-contour: MaxBoxAccV2 and the per-IoU numbers '
        'alone, without MaxBoxAcc\'s largest-contour search (what the '
        'reference computes with multi_contour_eval=True)')
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
    if args.skip_largest_contour and not args.multi_contour:
        parser.error('--skip-largest-contour needs --multi-contour')
    return args


def evaluate(args: argparse.Namespace) -> Dict[str, float]:
    """:func:`evaluate_saved_maps` with the command line's settings."""
    return evaluate_saved_maps(
        args.scoremaps,
        args.metadata,
        iou=args.iou,
        multi_contour=args.multi_contour,
        cam_curve_interval=args.cam_curve_interval,
        mask_root=args.mask_root,
        proxy=args.proxy,
        ignore_extra=args.ignore_extra,
        workers=args.workers,
        progress=not args.no_progress,
        largest_contour=not args.skip_largest_contour)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, float]:
    args = parse_args(argv)
    try:
        metrics = evaluate(args)
    except (EvalError, WSOLMetadataError) as err:
        sys.exit(f'eval_wsol: error: {err}')
    print(metric_table(metrics))
    atomic_write_json(args.out, metrics, indent=2)
    print(f'Saved to {args.out}')
    return metrics


if __name__ == '__main__':
    main()
