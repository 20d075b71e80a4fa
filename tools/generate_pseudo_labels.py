"""Write GPPL pseudo labels from a trained stage-1 (MFF-Net1) checkpoint.

The same code path as the ``GPPLHook`` that runs after stage-1 training:
the model labels every image of the config's ``train_dataloader`` dataset
(resized to 256x256, no crop, no flip) and writes
``<out>/<img_id without extension>.png`` (1 foreground, 0 background, 255
ignore) plus ``<out>/gppl_meta.json``. The hook's settings (``gppl_cfg``,
``size``, ``pipeline``, ...) are read from the config's ``custom_hooks``
when it has a ``GPPLHook``. Rerunning into the same ``--out`` resumes.

Example::

    python tools/generate_pseudo_labels.py \\
        configs/spol/mffnet1_r50_32e_cub.py \\
        work_dirs/mffnet1_r50_32e_cub/epoch_32.pth \\
        --out work_dirs/mffnet1_r50_32e_cub/pseudo_labels
"""
import argparse

from mmengine.config import Config

import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.engine import GPPLHook
from spol_mm.utils.cli import (add_checkpoint_runner_args,
                               build_checkpoint_runner, parse_runner_args)
from spol_mm.utils.dist import finish_distributed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate GPPL pseudo labels with a stage-1 model')
    add_checkpoint_runner_args(parser)
    parser.add_argument(
        '--out',
        required=True,
        help='directory for the label PNGs and gppl_meta.json')
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    runner = build_checkpoint_runner(cfg, args)
    out_dir = GPPLHook.from_config(runner.cfg).generate(
        runner, out_dir=args.out, info=dict(checkpoint=args.checkpoint))
    runner.logger.info(f'GPPL pseudo labels written to {out_dir}')
    del runner  # its model wrapper holds the process group
    finish_distributed()


if __name__ == '__main__':
    main()
