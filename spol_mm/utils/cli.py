"""Command-line pieces shared by tools/train.py, test.py and the GPPL tool."""
import argparse
import os
import os.path as osp
from typing import List, Optional

from mmengine.config import Config, DictAction


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--cfg-options``, ``--launcher`` and ``--local-rank``."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, `xxx=yyy` pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_args(parser: argparse.ArgumentParser,
                      argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: the command line), exporting ``LOCAL_RANK``
    for launchers that only pass a flag."""
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def set_work_dir(cfg: Config, config_path: str,
                 work_dir: Optional[str]) -> None:
    """``work_dir`` from the command line, the config, or
    ``./work_dirs/<config name>``, in that order."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def build_runner(cfg: Config):
    """Start the launcher's process group, then build the config's runner.

    Args:
        cfg (Config): The merged config.

    Returns:
        Runner: mmengine's ``Runner`` or the config's ``runner_type``.
    """
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner

    from .dist import setup_launcher
    setup_launcher(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def add_checkpoint_runner_args(parser: argparse.ArgumentParser) -> None:
    """The command line :func:`build_checkpoint_runner` reads: ``config``,
    ``checkpoint``, ``--work-dir`` and :func:`add_runner_args`'s."""
    parser.add_argument('config', help='stage-1 config file path')
    parser.add_argument('checkpoint', help='stage-1 checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save logs (default: ./work_dirs/...)')
    add_runner_args(parser)


def build_checkpoint_runner(cfg: Config, args: argparse.Namespace):
    """The runner of a tool that uses a trained model outside training
    (pseudo labels, their quality): the command line applied, the
    checkpoint loaded explicitly, nothing resumed.

    Args:
        cfg (Config): The config of ``args.config``.
        args (argparse.Namespace): Parsed with
            :func:`add_checkpoint_runner_args`.

    Returns:
        Runner: With the checkpoint's weights.
    """
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = None
    cfg.resume = False
    runner = build_runner(cfg)
    runner.load_checkpoint(args.checkpoint, map_location='cpu')
    return runner
