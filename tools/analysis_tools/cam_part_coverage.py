"""Where a model's map lies on the generated benchmark: part, body, background.

The generated WSOL images (``tools/dataset_converters/make_synthetic_wsol.py``)
have an object with a most discriminative part (``spol_mm.benchmarks``): the
part-only stress test's class-telling part on a class-neutral body, the
CUB-like bird's head. This tool
re-renders the test split's part masks from the generator's seed, runs a
stage-1 model (its CAM of the ground-truth class) or a stage-2 segmentor
(its foreground probability) over the whole test images, and reports per
region the share of the map's mass and the share of pixels above a
threshold. It tells whether a CAM lights only the part (the failure SPOL
is meant to fix) and what GPPL / MFF-Net2 make of it.

Example::

    python tools/analysis_tools/cam_part_coverage.py \\
        configs/spol/mffnet1_r18_16e_synthetic.py \\
        work_dirs/mffnet1_r18_16e_synthetic/epoch_16.pth \\
        --data data/synthetic_wsol
"""
import argparse
import json
import os.path as osp

import numpy as np
from mmengine.config import Config, DictAction

import spol_mm  # noqa: F401
from spol_mm.benchmarks.coverage import region_shares
from spol_mm.benchmarks.synthetic import (META_FILE, benchmark_renderer,
                                          sample_rng)
from spol_mm.utils import build_model_from_config
from spol_mm.utils.score_maps import network_score_map


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='stage-1 or stage-2 config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data', default='data/synthetic_wsol',
                        help='the generated dataset (for its seed and size)')
    parser.add_argument('--input-size', type=int, default=112,
                        help='network input side (whole image, no crop)')
    parser.add_argument('--threshold', type=float, default=0.2,
                        help='map threshold (after max-normalisation)')
    parser.add_argument('--out', help='write the numbers as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with open(osp.join(args.data, META_FILE)) as f:
        gen = json.load(f)['args']
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model = build_model_from_config(cfg, args.checkpoint)
    # The part: the stress test's class-telling part, the CUB-like bird's head.
    render = benchmark_renderer(gen.get('benchmark', 'part_stress'))[0]
    mass, covered = [], []
    for j in range(gen['test']):
        label = j % gen['classes']
        img, obj, _, part = render(
            sample_rng(gen['seed'], 'test', j), gen['size'], label,
            gen['classes'], return_part=True)
        shares = region_shares(
            network_score_map(model, img, label, args.input_size), part, obj,
            args.threshold)
        mass.append(shares['mass'])
        covered.append(shares['covered'])
    mass, covered = np.mean(mass, 0) * 100, np.mean(covered, 0) * 100
    names = ('part', 'body', 'background')
    print(f'{args.config}: {gen["test"]} test images, threshold '
          f'{args.threshold}')
    print('region       map mass %   pixels >= threshold %')
    for name, m, c in zip(names, mass, covered):
        print(f'{name:<12} {m:10.1f}   {c:10.1f}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                           threshold=args.threshold,
                           mass=dict(zip(names, mass.tolist())),
                           covered=dict(zip(names, covered.tolist()))), f,
                      indent=1)


if __name__ == '__main__':
    main()
