"""Generate the synthetic WSOL benchmark (CUB-200-2011 layout + GT masks).

Each image holds one object: a class-neutral body plus a small part whose
colour alone decides the class (see ``spol_mm/benchmarks/synthetic.py``).
``--train`` and ``--test`` are TOTAL image counts, spread evenly over the
classes. Running it again with the same arguments does nothing; other
arguments into an existing dataset folder are refused.

Example:
    python tools/dataset_converters/make_synthetic_wsol.py \\
        --out data/synthetic_wsol
"""
import argparse
import sys
import time
from typing import List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--out',
        default='data/synthetic_wsol',
        help='output folder (default: %(default)s)')
    parser.add_argument(
        '--classes',
        type=int,
        default=8,
        help='number of classes, at most 36 '
        '(default: %(default)s)')
    parser.add_argument(
        '--train',
        type=int,
        default=400,
        help='training images in total (default: '
        '%(default)s)')
    parser.add_argument(
        '--test',
        type=int,
        default=160,
        help='test images in total (default: %(default)s)')
    parser.add_argument(
        '--size',
        type=int,
        default=128,
        help='image side in pixels (default: %(default)s)')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='random seed (default: %(default)s)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    # Imported once the arguments parse: importing spol_mm imports
    # mmpretrain and mmseg (seconds), which --help need not wait for.
    from spol_mm.benchmarks.synthetic import write_synthetic_wsol
    start = time.perf_counter()
    try:
        meta = write_synthetic_wsol(args.out, args.classes, args.train,
                                    args.test, args.size, args.seed)
    except (ValueError, FileExistsError) as err:
        sys.exit(f'make_synthetic_wsol: error: {err}')
    seconds = time.perf_counter() - start
    done = f'written in {seconds:.1f} s' if meta['written'] else \
        'already complete, nothing written'
    print(f'{args.out}: {args.train} train + {args.test} test images, '
          f'{args.classes} classes, {args.size} px ({done})')


if __name__ == '__main__':
    main()
