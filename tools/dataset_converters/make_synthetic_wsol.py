"""Generate a synthetic WSOL benchmark (CUB-200-2011 layout + GT masks).

``--benchmark cub_like`` (default): faithful to CUB's properties, one bird
per image with class evidence over the whole bird, strongest on the head
(``spol_mm/benchmarks/cub_like.py``). ``--benchmark part_stress``: the
stress test whose class lives only in a small part on a class-neutral body
(``spol_mm/benchmarks/synthetic.py``). ``--train`` and ``--test`` are TOTAL
image counts, spread evenly over the classes. Then the benchmark's
properties are measured (object size, clutter, two oracle classifiers:
``spol_mm/benchmarks/properties.py``; about 30 s once, kept in the folder)
and printed against CUB's. Running it again with the same arguments writes
nothing; other arguments into an existing dataset folder are refused.

Example:
    python tools/dataset_converters/make_synthetic_wsol.py \\
        --out data/cub_like_wsol
"""
import argparse
import sys
import time
from typing import List, Optional


#: Defaults per benchmark: out, classes, train, test, size.
DEFAULTS = dict(
    cub_like=dict(
        out='data/cub_like_wsol', classes=12, train=360, test=240, size=256),
    part_stress=dict(
        out='data/synthetic_wsol', classes=8, train=400, test=160, size=128))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--benchmark',
        choices=sorted(DEFAULTS),
        default='cub_like',
        help='which benchmark (default: %(default)s)')
    parser.add_argument(
        '--out',
        help='output folder (default: data/cub_like_wsol, or '
        'data/synthetic_wsol for part_stress)')
    parser.add_argument(
        '--classes',
        type=int,
        help='number of classes, at most 36 (default: 12, or 8 for '
        'part_stress)')
    parser.add_argument(
        '--train',
        type=int,
        help='training images in total (default: 360, or 400 for '
        'part_stress)')
    parser.add_argument(
        '--test',
        type=int,
        help='test images in total (default: 240, or 160 for '
        'part_stress)')
    parser.add_argument(
        '--size',
        type=int,
        help='image side in pixels (default: 256, or 128 for '
        'part_stress)')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='random seed (default: %(default)s)')
    parser.add_argument(
        '--no-properties',
        action='store_true',
        help='do not measure and print the benchmark\'s properties')
    args = parser.parse_args(argv)
    for key, value in DEFAULTS[args.benchmark].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    # Imported once the arguments parse: importing spol_mm imports
    # mmpretrain and mmseg (seconds), which --help need not wait for.
    from spol_mm.benchmarks.synthetic import write_synthetic_wsol
    start = time.perf_counter()
    try:
        meta = write_synthetic_wsol(args.out, args.classes, args.train,
                                    args.test, args.size, args.seed,
                                    args.benchmark)
    except (ValueError, FileExistsError) as err:
        sys.exit(f'make_synthetic_wsol: error: {err}')
    seconds = time.perf_counter() - start
    done = f'written in {seconds:.1f} s' if meta['written'] else \
        'already complete, nothing written'
    print(f'{args.out}: {args.benchmark}, {args.train} train + {args.test} '
          f'test images, {args.classes} classes, {args.size} px ({done})')
    if not args.no_properties:
        from spol_mm.benchmarks.properties import (dataset_properties,
                                                   format_properties)
        print('properties (measured on the generated images; '
              'spol_mm/benchmarks/properties.py):')
        print(format_properties(dataset_properties(args.out)))


if __name__ == '__main__':
    main()
