"""How good GPPL's pseudo labels are, for many GPPL settings at once.

One pass of a trained stage-1 model over its training images (the CAMs
GPPL starts from, exactly as ``tools/generate_pseudo_labels.py`` makes
them); each setting's labels are scored against the images' GT masks
(CUB: ``segmentations/``): foreground and background precision and recall,
the ignored share of the pixels, the foreground and object shares. Nothing
is written but the table (``--out``, Markdown, plus a JSON beside it).
The settings are ``spol_mm.pseudo_label.GPPL_SETTINGS`` plus the config's
own (``this config``).

Example::

    python tools/analysis_tools/label_quality.py \\
        configs/spol/mffnet1_lite0_8e_synthetic.py \\
        work_dirs/mffnet1_lite0_8e_synthetic/epoch_8.pth \\
        --out work_dirs/mffnet1_lite0_8e_synthetic/label_quality.md
"""
import argparse
import os.path as osp

from mmengine.config import Config

import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.benchmarks.tables import markdown_table
from spol_mm.engine import GPPLHook
from spol_mm.pseudo_label import GPPL_SETTINGS, QUALITY_NAMES
from spol_mm.utils.cli import (add_checkpoint_runner_args,
                               build_checkpoint_runner, parse_runner_args)
from spol_mm.utils.fileio import atomic_write_json, atomic_write_text


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Score the pseudo labels of GPPL settings against the '
        'GT masks')
    add_checkpoint_runner_args(parser)
    parser.add_argument(
        '--settings',
        nargs='+',
        choices=sorted(GPPL_SETTINGS),
        metavar='NAME',
        help='only these of spol_mm.pseudo_label.GPPL_SETTINGS (default: '
        'all)')
    parser.add_argument(
        '--out', help='write the table here (Markdown; JSON beside it)')
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    if args.launcher != 'none':
        raise SystemExit('label_quality.py runs in one process (--launcher '
                         'none): it is one pass over the training images')
    runner = build_checkpoint_runner(Config.fromfile(args.config), args)
    names = args.settings or list(GPPL_SETTINGS)
    hook = GPPLHook.from_config(runner.cfg)
    quality = hook.quality(runner, {n: GPPL_SETTINGS[n] for n in names})
    images = next(iter(quality.values()))['images']
    table = (f'Pseudo labels of {images} training images against their GT '
             f'masks, percent ({args.checkpoint}; this config: '
             f'{hook.gppl_cfg.to_dict()})\n\n' +
             markdown_table(list(quality), list(quality.values()),
                            QUALITY_NAMES, corner='GPPL setting') +
             '\n')
    print(table)
    if args.out:
        # The JSON first: the Markdown file is what `make demo` checks.
        atomic_write_json(
            osp.splitext(args.out)[0] + '.json',
            dict(checkpoint=args.checkpoint, settings={
                n: GPPL_SETTINGS.get(n, hook.gppl_cfg.to_dict())
                for n in quality
            }, quality=quality),
            indent=1)
        atomic_write_text(args.out, table)


if __name__ == '__main__':
    main()
