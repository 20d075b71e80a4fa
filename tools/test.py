"""Test / evaluate any spol_mm stage (or any mmpretrain / mmseg config)."""
import argparse

from mmengine.config import Config
from mmengine.dist import is_main_process

import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.utils.cli import (add_runner_args, build_runner,
                               parse_runner_args, set_work_dir)
from spol_mm.utils.fileio import atomic_write_json


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save logs and results')
    parser.add_argument(
        '--out', help='dump the metrics (or predictions, *.pkl) to this file')
    parser.add_argument(
        '--show-dir', help='save visualisations of the results to this dir')
    add_runner_args(parser)
    return parse_runner_args(parser)


def enable_visualization(cfg: Config, show_dir: str, config: str) -> None:
    """Switch the visualization hook on, writing pictures to ``show_dir``."""
    vis_hook = cfg.default_hooks.get('visualization', None)
    if vis_hook is None:
        raise ValueError(f'{config} has no `visualization` hook in '
                         '`default_hooks`, so --show-dir cannot be used')
    vis_hook.enable = True
    if cfg.get('default_scope') == 'mmseg':
        # mmseg's hook has a `draw` switch and saves through the
        # visualizer's `save_dir`.
        vis_hook.draw = True
        cfg.visualizer.save_dir = show_dir
    else:
        # mmpretrain's hook passes unknown keys on to the visualizer, so
        # only `out_dir`; every sample is drawn (its default is 1 in 5000).
        vis_hook.out_dir = show_dir
        vis_hook.interval = 1


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args.config, args.work_dir)
    if args.checkpoint is not None:
        cfg.load_from = args.checkpoint
    if args.show_dir is not None:
        enable_visualization(cfg, args.show_dir, args.config)
    if args.out is not None and args.out.endswith(('.pkl', '.pickle')):
        cfg.test_evaluator = [cfg.test_evaluator] if isinstance(
            cfg.test_evaluator, dict) else list(cfg.test_evaluator)
        cfg.test_evaluator.append(
            dict(type='DumpResults', out_file_path=args.out))
    return cfg


def main() -> None:
    args = parse_args()
    runner = build_runner(merge_args(Config.fromfile(args.config), args))
    metrics = runner.test()
    if (args.out is not None and not args.out.endswith(('.pkl', '.pickle'))
            and is_main_process()):
        atomic_write_json(args.out, metrics, indent=1)


if __name__ == '__main__':
    main()
