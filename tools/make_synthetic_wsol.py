"""Generate the synthetic WSOL benchmark (CUB-200-2011 layout + GT masks).

Each image holds one object: a class-neutral body plus a small part whose
colour alone decides the class (see ``spol_mm/datasets/synthetic.py``).
``--train`` and ``--test`` are TOTAL image counts, spread evenly over the
classes. Running it again with the same arguments does nothing; other
arguments into an existing dataset folder are refused.

Example:
    python tools/make_synthetic_wsol.py --out data/synthetic_wsol
"""
import argparse
import importlib.util
import os.path as osp
import sys
import time

GENERATOR = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'spol_mm', 'datasets',
    'synthetic.py')


def load_generator():
    """``spol_mm.datasets.synthetic`` without importing ``spol_mm``.

    The generator needs only numpy and OpenCV; importing the package would
    first import mmpretrain and mmseg (many seconds on a small CPU).
    """
    if not osp.isfile(GENERATOR):  # a copied tool: use the installed one
        from spol_mm.datasets import synthetic
        return synthetic
    spec = importlib.util.spec_from_file_location('spol_mm_synthetic',
                                                  GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args() -> argparse.Namespace:
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
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    synthetic = load_generator()
    start = time.perf_counter()
    try:
        meta = synthetic.write_synthetic_wsol(args.out, args.classes,
                                              args.train, args.test, args.size,
                                              args.seed)
    except (ValueError, FileExistsError) as err:
        sys.exit(f'make_synthetic_wsol: error: {err}')
    seconds = time.perf_counter() - start
    done = f'written in {seconds:.1f} s' if meta['written'] else \
        'already complete, nothing written'
    print(f'{args.out}: {args.train} train + {args.test} test images, '
          f'{args.classes} classes, {args.size} px ({done})')


if __name__ == '__main__':
    main()
