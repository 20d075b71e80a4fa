"""Generate the synthetic WSOL benchmark (CUB-200-2011 layout + masks).

Example:
    python tools/make_synthetic_wsol.py --out data/synthetic_wsol
"""
import argparse
import time

from spol_mm.datasets.synthetic import write_synthetic_wsol


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--out', default='data/synthetic_wsol')
    parser.add_argument('--classes', type=int, default=8)
    parser.add_argument('--train', type=int, default=400,
                        help='training images in total')
    parser.add_argument('--test', type=int, default=160,
                        help='test images in total')
    parser.add_argument('--size', type=int, default=128)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    write_synthetic_wsol(args.out, args.classes, args.train, args.test,
                         args.size, args.seed)
    print(f'{args.train} train + {args.test} test images of {args.size} px '
          f'in {args.out} ({time.perf_counter() - start:.1f} s)')


if __name__ == '__main__':
    main()
