"""What ``tools/test.py`` does, as package functions, so that
``tools/analysis_tools/test_many.py`` runs many of its command lines in one
process (the start-up, seconds of imports, paid once)."""
import argparse
import copy
import os.path as osp
import time
from typing import Dict, List, Optional, Tuple

from mmengine.config import Config

from .cli import add_runner_args, build_runner, set_work_dir
from .fileio import atomic_write_json

__all__ = [
    'make_test_parser', 'merge_test_args', 'run_test', 'unique_name',
    'use_protocol_frame', 'export_score_maps', 'write_protocol_metadata'
]


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
    parser.add_argument(
        '--show',
        action='store_true',
        help='show the visualisations in a window')
    parser.add_argument(
        '--interval',
        type=int,
        default=1,
        help='visualise every N-th sample (with --show / --show-dir)')
    parser.add_argument(
        '--wait-time',
        type=float,
        default=2,
        help='seconds each --show window stays')
    parser.add_argument(
        '--out-maps',
        metavar='DIR',
        help="write the score maps in the WSOL protocol's layout "
        '(DIR/<image_id>.npy, the metadata in DIR/metadata, masks in '
        'DIR/masks + DIR/metadata_masks), evaluated in its frame; resumes')
    parser.add_argument(
        '--protocol-frame',
        action='store_true',
        help="test in the WSOL protocol's frame (the whole image resized to "
        "224x224, as the *_protocol configs), whatever the config's test "
        'pipeline')
    add_runner_args(parser)
    return parser


def _enable_visualization(cfg: Config, args: argparse.Namespace) -> None:
    """Switch the visualization hook on: pictures to ``--show-dir`` and / or
    a window (``--show``), every ``--interval``-th sample."""
    vis_hook = cfg.default_hooks.get('visualization', None)
    if vis_hook is None:
        raise ValueError(f'{args.config} has no `visualization` hook in '
                         '`default_hooks`, so --show / --show-dir cannot be '
                         'used')
    vis_hook.enable = True
    vis_hook.interval = args.interval
    if args.show:
        vis_hook.show = True
        vis_hook.wait_time = args.wait_time
    if cfg.get('default_scope') == 'mmseg':
        # mmseg's hook has a `draw` switch and saves through the
        # visualizer's `save_dir`.
        vis_hook.draw = True
        if args.show_dir is not None:
            cfg.visualizer.save_dir = args.show_dir
    elif args.show_dir is not None:
        # mmpretrain's hook passes unknown keys (wait_time) on to the
        # visualizer.
        vis_hook.out_dir = args.show_dir


def use_protocol_frame(cfg: Config, config: str) -> None:
    """Put the test dataset's pipeline in the WSOL protocol's frame: the
    config's own ``protocol_test_pipeline`` where it has one (the
    ``*_protocol`` configs' pipeline), else
    :func:`spol_mm.datasets.transforms.protocol_test_pipeline` of its test
    pipeline.

    Args:
        cfg (Config): The config, changed in place.
        config (str): Its file, for messages.

    Raises:
        ValueError: Naming ``config``: no test pipeline, or one with a
            transform whose effect on the frame is unknown.
    """
    from spol_mm.datasets.transforms import protocol_test_pipeline

    dataset = cfg.test_dataloader.dataset
    if 'pipeline' not in dataset:
        raise ValueError(f'{config}: test_dataloader.dataset has no '
                         '`pipeline` to put in the protocol frame')
    if cfg.get('protocol_test_pipeline') is not None:
        dataset.pipeline = copy.deepcopy(cfg.protocol_test_pipeline)
        return
    try:
        dataset.pipeline = protocol_test_pipeline(dataset.pipeline)
    except ValueError as err:
        raise ValueError(f'{config}: {err}') from None


def merge_test_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply ``tools/test.py``'s command line to the config."""
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args.config, args.work_dir)
    if args.checkpoint is not None:
        cfg.load_from = args.checkpoint
    if getattr(args, 'protocol_frame', False) or getattr(
            args, 'out_maps', None):
        use_protocol_frame(cfg, args.config)
    if args.show_dir is not None or getattr(args, 'show', False):
        _enable_visualization(cfg, args)
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
    if getattr(args, 'out_maps', None):
        from spol_mm.benchmarks.tables import metric_table
        if args.out is not None and args.out.endswith(('.pkl', '.pickle')):
            raise ValueError('--out-maps evaluates the saved maps: its --out '
                             'is a metrics JSON, not predictions (.pkl)')
        metrics = export_score_maps(cfg, args.out_maps)
        if metrics:  # the main process's
            print(f"The protocol's metrics of the maps in {args.out_maps}:"
                  '\n' + metric_table(metrics), flush=True)
    else:
        metrics = build_runner(cfg).test()
    if (args.out is not None and not args.out.endswith(('.pkl', '.pickle'))
            and is_main_process()):
        atomic_write_json(args.out, metrics, indent=1)
    return metrics


def _image_size(path: str) -> Tuple[int, int]:
    """``(w, h)`` as the loaders decode the image (EXIF orientation
    applied), from the header alone."""
    from PIL import Image
    with Image.open(path) as img:
        w, h = img.size
        if img.getexif().get(0x0112) in (5, 6, 7, 8):  # rotated by 90
            w, h = h, w
    return w, h


def write_protocol_metadata(dataset,
                            out: str,
                            mask_loading: Optional[Dict] = None
                            ) -> Dict[str, str]:
    """The metadata of ``dataset`` for its exported score maps.

    When every image has a GT box, ``<out>/metadata`` gets the boxes
    (integer ``x0,y0,x1,y1`` in original pixels); when every image has a
    GT mask, the masks (as spol_mm reads them: 255 object, 0 elsewhere; the
    ignore regions, maybe none, in ``<id>_ignore.png``) go to
    ``<out>/masks`` and their metadata, paths relative to ``out``, to
    ``<out>/metadata_masks``.

    Args:
        dataset (BaseWSOLDataset): The test set (``get_data_info``).
        out (str): The score-map folder.
        mask_loading (dict, optional): ``LoadWSOLMask`` arguments (the test
            pipeline's).

    Returns:
        dict: ``'boxes'`` / ``'masks'`` -> the metadata folder written.

    Raises:
        ValueError: The set has neither boxes nor masks for every image.
    """
    mask_loading = mask_loading or {}
    import cv2
    import numpy as np

    from spol_mm.datasets.transforms import LoadWSOLMask
    from spol_mm.datasets.wsol_metadata import write_wsol_metadata
    from .fileio import atomic_write_bytes

    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    ids = [info['img_id'] for info in infos]
    labels = {info['img_id']: int(info['gt_label']) for info in infos}
    sizes = {info['img_id']: _image_size(info['img_path']) for info in infos}
    boxes = {
        info['img_id']: np.round(np.asarray(
            info['ori_gt_bboxes'], dtype=np.float64).reshape(-1, 4)).tolist()
        for info in infos
    }
    written = {}
    if infos and all(len(b) for b in boxes.values()):
        written['boxes'] = osp.join(out, 'metadata')
        write_wsol_metadata(written['boxes'], ids, labels, sizes,
                            boxes=boxes)
    if not infos or not all(info.get('gt_mask_path') for info in infos):
        if not written:
            raise ValueError(
                '--out-maps: the test set has images without GT boxes and '
                'without GT masks: nothing to evaluate the maps against')
        return written
    masks = {}
    loader = LoadWSOLMask(**mask_loading)
    for info in infos:
        seg = loader.transform(dict(info))['gt_seg_map']
        stem = osp.join('masks', osp.splitext(info['img_id'])[0])
        # The reference code reads an ignore mask for every image.
        pictures = {
            f'{stem}.png': np.where(seg == 1, 255, 0),
            f'{stem}_ignore.png': np.where(seg == 255, 255, 0)
        }
        for rel, picture in pictures.items():
            _, png = cv2.imencode('.png', picture.astype(np.uint8))
            atomic_write_bytes(osp.join(out, rel), png.tobytes(),
                               durable=False)
        masks[info['img_id']] = ([f'{stem}.png'], f'{stem}_ignore.png')
    written['masks'] = osp.join(out, 'metadata_masks')
    write_wsol_metadata(written['masks'], ids, labels, sizes, masks=masks)
    return written


def export_score_maps(cfg: Config, out: str) -> Dict[str, float]:
    """``tools/test.py --out-maps``: the maps of ``cfg``'s model in the
    protocol's layout and frame, and the protocol's metrics of exactly them.

    The metadata is written first (:func:`write_protocol_metadata`); images
    whose map exists are not predicted again (each map is written
    atomically, so a killed run resumes); then the folder is evaluated by
    :func:`~spol_mm.evaluation.saved_maps.evaluate_saved_maps`, as
    ``tools/eval_wsol.py --multi-contour`` does.

    Args:
        cfg (Config): The test config, its pipeline in the protocol frame.
        out (str): The score-map folder.

    Returns:
        dict: MaxBoxAcc, MaxBoxAccV2 (per IoU too) and, with masks, PxAP.
    """
    import json
    import os

    from mmengine.registry import DATASETS, DefaultScope

    from spol_mm.evaluation.saved_maps import (evaluate_saved_maps,
                                               scoremap_path)
    from .fileio import atomic_write_text, remove_stale_temps
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmpretrain')):
        dataset = DATASETS.build(copy.deepcopy(cfg.test_dataloader.dataset))
    # Maps of another model or frame are not mixed in: the folder records
    # what made its maps.
    made_by = json.dumps(
        dict(model=cfg.model.to_dict(), load_from=cfg.get('load_from'),
             pipeline=cfg.test_dataloader.dataset.pipeline),
        sort_keys=True, indent=1, default=str)
    record = osp.join(out, 'made_by.json')
    if osp.isfile(record):
        with open(record) as f:
            if f.read() != made_by:
                raise ValueError(
                    f'--out-maps: {out} holds maps of another model, '
                    f'checkpoint or test pipeline ({record}); give another '
                    'folder or delete it')
    main = int(os.environ.get('RANK', 0)) == 0
    folders = {}
    if main:  # the other ranks only predict
        if int(os.environ.get('WORLD_SIZE', 1)) == 1:
            remove_stale_temps(out, recursive=True)  # of a killed run
        atomic_write_text(record, made_by)
        mask_loading = next(
            ({k: v for k, v in t.items() if k != 'type'}
             for t in cfg.test_dataloader.dataset.pipeline
             if str(t.get('type', '')).endswith('LoadWSOLMask')), {})
        folders = write_protocol_metadata(dataset, out, mask_loading)
    # The config's own subset (`indices`: the first N, or a list) stays.
    chosen = cfg.test_dataloader.dataset.get('indices')
    chosen = list(range(len(dataset))) if chosen is None or isinstance(
        chosen, int) else list(chosen)
    todo = [
        chosen[i] for i in range(len(dataset)) if not osp.isfile(
            scoremap_path(out, dataset.get_data_info(i)['img_id']))
    ]
    if main:
        print(f'--out-maps: {len(dataset) - len(todo)} of {len(dataset)} '
              f'maps in {out} already, {len(todo)} to predict', flush=True)
    if todo:
        cfg.test_dataloader.dataset.indices = todo
        world = int(os.environ.get('WORLD_SIZE', 1))
        cfg.test_evaluator = dict(
            type='DumpWSOLScoreMaps', out_dir=out,
            total=-(-len(todo) // world))  # this rank's share, for the bar
        build_runner(cfg).test()  # its result gathering waits for all ranks
    if not main:
        return {}
    os.sync()  # the maps were renamed into place without an fsync each
    metrics = {}
    if 'boxes' in folders:
        metrics = evaluate_saved_maps(out, folders['boxes'],
                                      multi_contour=True, progress=True)
    if 'masks' in folders:
        pixels = evaluate_saved_maps(out, folders['masks'], mask_root=out,
                                     progress=True)
        if metrics:
            pixels.pop('num_images')
        metrics.update(pixels)
    return metrics


def unique_name(prefix: str, taken: List[str]) -> str:
    """``<prefix>_<time>``, made unique among ``taken`` (appended to it)."""
    name = f'{prefix}_{time.strftime("%Y%m%d_%H%M%S")}'
    while name in taken:
        name += '_'
    taken.append(name)
    return name
