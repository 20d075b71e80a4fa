"""Speed of the batched GPPL labels against the per-image numpy reference.

Not a test (pytest does not collect it). Run from the repository root::

    python tests/pseudo_label/benchmark_gppl.py [--num 64] [--size 256]

Prints the best-of-``--repeat`` wall time of both and the speed-up; the
labels of both are compared (float64 inputs must agree exactly).
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

from spol_mm.pseudo_label import gppl_labels, gppl_labels_numpy_reference


def smooth_cams(num: int, size: int, seed: int = 0) -> torch.Tensor:
    """CAM-like maps: cubed uniform noise on an 8x8 grid, upsampled."""
    gen = torch.Generator().manual_seed(seed)
    low = torch.rand(num, 1, 8, 8, generator=gen)**3
    return F.interpolate(
        low, size=(size, size), mode='bilinear', align_corners=False)[:, 0]


def best_time(fn, repeat: int) -> float:
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num', type=int, default=64)
    parser.add_argument('--size', type=int, default=256)
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--threads', type=int, help='torch threads')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    cams = smooth_cams(args.num, args.size).contiguous()
    cams_np = cams.double().numpy()
    gppl_labels(cams)  # warm-up
    t_ref = best_time(lambda: gppl_labels_numpy_reference(cams_np),
                      max(1, args.repeat // 3))
    t_f32 = best_time(lambda: gppl_labels(cams), args.repeat)
    cams64 = cams.double()
    t_f64 = best_time(lambda: gppl_labels(cams64), args.repeat)

    expected = gppl_labels_numpy_reference(cams_np)
    diff32 = int((gppl_labels(cams).numpy() != expected).sum())
    diff64 = int((gppl_labels(cams64).numpy() != expected).sum())
    print(f'{args.num} maps of {args.size}x{args.size}, '
          f'{torch.get_num_threads()} torch threads')
    print(f'numpy reference   {t_ref * 1e3:8.1f} ms')
    print(f'batched float32   {t_f32 * 1e3:8.1f} ms  x{t_ref / t_f32:5.1f}  '
          f'({diff32} of {expected.size} labels differ)')
    print(f'batched float64   {t_f64 * 1e3:8.1f} ms  x{t_ref / t_f64:5.1f}  '
          f'({diff64} differ)')
    counts = np.bincount(expected.ravel(), minlength=256)
    print(f'label counts: bg {counts[0]}, fg {counts[1]}, '
          f'ignore {counts[255]}')


if __name__ == '__main__':
    main()
