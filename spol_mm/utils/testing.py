"""What ``tools/test.py`` does, as package functions, so that
``tools/analysis_tools/test_many.py`` runs many of its command lines in one
process (the start-up, seconds of imports, paid once)."""
import argparse
import time
from typing import Dict, List, Optional

from mmengine.config import Config

from .cli import add_runner_args, build_runner, set_work_dir
from .fileio import atomic_write_json

__all__ = ['make_test_parser', 'merge_test_args', 'run_test', 'unique_name']


def make_test_parser() -> argparse.ArgumentParser:
    """The command line of ``tools/test.py``."""
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save logs and results')
    parser.add_argument(
        '--out', help='dump the metrics (or predictions, *.pkl) to this file')
    parser.add_argument(
        '--show-dir', help='save visualisations of the results to this dir')
    add_runner_args(parser)
    return parser


def _enable_visualization(cfg: Config, show_dir: str, config: str) -> None:
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


def merge_test_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply ``tools/test.py``'s command line to the config."""
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args.config, args.work_dir)
    if args.checkpoint is not None:
        cfg.load_from = args.checkpoint
    if args.show_dir is not None:
        _enable_visualization(cfg, args.show_dir, args.config)
    if args.out is not None and args.out.endswith(('.pkl', '.pickle')):
        cfg.test_evaluator = [cfg.test_evaluator] if isinstance(
            cfg.test_evaluator, dict) else list(cfg.test_evaluator)
        cfg.test_evaluator.append(
            dict(type='DumpResults', out_file_path=args.out))
    return cfg


def run_test(args: argparse.Namespace,
             experiment_name: Optional[str] = None) -> Dict[str, float]:
    """Build the runner of ``args.config``, test, write ``--out``.

    Args:
        args (argparse.Namespace): Parsed by :func:`make_test_parser`.
        experiment_name (str, optional): The runner's name (its logger and
            visualizer instances); give each run of one process its own.

    Returns:
        dict: The metrics.
    """
    from mmengine.dist import is_main_process

    cfg = merge_test_args(Config.fromfile(args.config), args)
    if experiment_name is not None:
        cfg.experiment_name = experiment_name
    metrics = build_runner(cfg).test()
    if (args.out is not None and not args.out.endswith(('.pkl', '.pickle'))
            and is_main_process()):
        atomic_write_json(args.out, metrics, indent=1)
    return metrics


def unique_name(prefix: str, taken: List[str]) -> str:
    """``<prefix>_<time>``, made unique among ``taken`` (appended to it)."""
    name = f'{prefix}_{time.strftime("%Y%m%d_%H%M%S")}'
    while name in taken:
        name += '_'
    taken.append(name)
    return name
