"""Train any spol_mm stage (or any mmpretrain / mmseg config).

The config's ``default_scope`` decides which toolbox's registries build it,
so the same script runs MFF-Net1 (mmpretrain) and MFF-Net2 (mmseg).
"""
import argparse

from mmengine.config import Config

import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.utils.cli import (add_runner_args, build_runner,
                               parse_runner_args, set_work_dir)
from spol_mm.utils.dist import finish_distributed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a value, from '
        'the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='enable automatic mixed precision')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help="scale the learning rate by the actual batch size over the "
        "config's auto_scale_lr.base_batch_size (the linear scaling rule)")
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training')
    add_runner_args(parser)
    return parse_runner_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    set_work_dir(cfg, args.config, args.work_dir)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise ValueError(
                f'{args.config}: --auto-scale-lr needs '
                '`auto_scale_lr = dict(base_batch_size=...)` in the config '
                '(the total batch size its learning rate is set for)')
        cfg.auto_scale_lr.enable = True
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    # No name keeps the runner: its model wrapper holds the process group.
    build_runner(merge_args(Config.fromfile(args.config), args)).train()
    finish_distributed()


if __name__ == '__main__':
    main()
