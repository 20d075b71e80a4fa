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
import copy

from mmengine.config import Config

import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.engine import GPPLHook
from spol_mm.utils.cli import (add_runner_args, build_runner,
                               parse_runner_args, set_work_dir)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate GPPL pseudo labels with a stage-1 model')
    parser.add_argument('config', help='stage-1 config file path')
    parser.add_argument('checkpoint', help='stage-1 checkpoint file')
    parser.add_argument(
        '--out',
        required=True,
        help='directory for the label PNGs and gppl_meta.json')
    parser.add_argument(
        '--work-dir', help='the dir to save logs (default: ./work_dirs/...)')
    add_runner_args(parser)
    return parse_runner_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args.config, args.work_dir)
    # The checkpoint is loaded explicitly below; nothing is resumed.
    cfg.load_from = None
    cfg.resume = False
    return cfg


def gppl_hook_from_config(cfg: Config) -> GPPLHook:
    """The config's ``GPPLHook`` settings, or the defaults."""
    for hook_cfg in cfg.get('custom_hooks', None) or []:
        hook_type = hook_cfg.get('type')
        if hook_type in ('GPPLHook', GPPLHook):
            kwargs = copy.deepcopy(dict(hook_cfg))
            kwargs.pop('type')
            kwargs.pop('priority', None)
            return GPPLHook(**kwargs)
    return GPPLHook()


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    hook = gppl_hook_from_config(cfg)
    runner = build_runner(cfg)
    runner.load_checkpoint(args.checkpoint, map_location='cpu')
    out_dir = hook.generate(
        runner, out_dir=args.out, info=dict(checkpoint=args.checkpoint))
    runner.logger.info(f'GPPL pseudo labels written to {out_dir}')


if __name__ == '__main__':
    main()
