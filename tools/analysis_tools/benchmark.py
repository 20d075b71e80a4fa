"""Inference speed of any spol_mm config's model (images/s and latency)."""
import argparse
import time

import torch
from mmengine.config import Config, DictAction

import spol_mm  # noqa: F401
from spol_mm.utils import build_model_from_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Benchmark inference speed')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--checkpoint', help='checkpoint to load')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--shape', type=int, nargs='+', default=[224, 224])
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available()
                        else 'cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, `xxx=yyy` pairs')
    return parser.parse_args()


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    model = build_model_from_config(cfg, args.checkpoint, args.device)
    h, w = (args.shape * 2)[:2]
    inputs = torch.rand(args.batch_size, 3, h, w, device=args.device)
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.iters):
            _sync(args.device)
            start = time.perf_counter()
            model(inputs, mode='tensor')
            _sync(args.device)
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    print(f'config: {args.config}\ndevice: {args.device}, batch '
          f'{args.batch_size}, input {h}x{w}, {args.iters} timed iterations '
          f'after {args.warmup} warm-up\nmedian latency per batch: '
          f'{median * 1000:.1f} ms\nthroughput: '
          f'{args.batch_size / median:.1f} images/s')


if __name__ == '__main__':
    main()
