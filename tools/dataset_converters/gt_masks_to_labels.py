"""Write the ground-truth masks as stage-2 label files (the upper bound).

For every image of the config's ``train_dataloader.dataset`` (built without
its ``seg_map_root`` and pipeline), the GT mask (CUB: ``segmentations/``),
binarised as ``LoadWSOLMask`` does, is resized to ``--size`` (nearest, the
resolution of GPPL's labels) and written at its image's size as
``<out>/<img_id without extension>.png`` (1 object, 0 background), with
``<out>/gppl_meta.json`` (``params.source: gt_mask``) marked complete at the
end: the layout of GPPL's pseudo labels, so MFF-Net2 trains on them through
``seg_map_root=<out>``. Rerunning into the same ``--out`` resumes; an image
without a GT mask is an error naming it.

``--out`` defaults to the dataset's ``seg_map_root``, so the stage-2 config
that reads the labels also says where they go.

Example::

    python tools/dataset_converters/gt_masks_to_labels.py \\
        configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py
    python tools/train.py configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py
"""
import argparse
import copy
import sys
from typing import Any, Dict, List, Optional, Tuple

from mmengine.config import DictAction


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'config', help='config whose train_dataloader.dataset is labelled')
    parser.add_argument(
        '--out',
        help='directory for the label PNGs and gppl_meta.json (default: the '
        "dataset's seg_map_root)")
    parser.add_argument(
        '--size',
        type=int,
        nargs='+',
        default=[256],
        metavar='N',
        help='label resolution, one side (square) or H W (default: 256)')
    parser.add_argument(
        '--threshold',
        type=int,
        default=127,
        help='a GT mask pixel is foreground above it (0/1 masks are taken '
        'as they are; default: %(default)s)')
    parser.add_argument(
        '--threads', type=int, default=4, help='reader/writer threads')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, `xxx=yyy` pairs')
    args = parser.parse_args(argv)
    if len(args.size) not in (1, 2) or min(args.size) < 1:
        parser.error('--size takes one positive side or H W')
    return args


def dataset_cfg_of(cfg) -> Tuple[Dict[str, Any], Optional[str]]:
    """The config's training dataset, unwrapped, without pseudo labels.

    Returns:
        tuple: The dataset config (``pipeline=[]``: only the entries are
        read) and the ``seg_map_root`` it had (None if none).
    """
    loader = cfg.get('train_dataloader')
    if not loader or not loader.get('dataset'):
        raise ValueError('the config has no train_dataloader.dataset to '
                         'label')
    dataset = copy.deepcopy(loader['dataset'])
    while 'dataset' in dataset:  # dataset wrappers
        dataset = dataset['dataset']
    if 'datasets' in dataset:
        raise ValueError('a ConcatDataset cannot be labelled at once; '
                         'label each dataset separately')
    dataset = dict(dataset)
    # These labels are what seg_map_root will hold: not read here.
    seg_map_root = dataset.pop('seg_map_root', None)
    dataset.pop('pseudo_label_params', None)
    dataset['pipeline'] = []
    return dataset, seg_map_root


def label_size(size: List[int]) -> Tuple[int, int]:
    return (size[0], size[0]) if len(size) == 1 else (size[0], size[1])


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    # Imported once the arguments parse (mmpretrain / mmseg take seconds).
    from mmengine.config import Config
    from mmengine.registry import DATASETS, DefaultScope

    import spol_mm  # noqa: F401  (registers the datasets)
    from spol_mm.pseudo_label import write_gt_mask_labels

    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    dataset_cfg, seg_map_root = dataset_cfg_of(cfg)
    out = args.out or seg_map_root
    if not out:
        sys.exit(f'{args.config}: its training dataset has no seg_map_root; '
                 'give --out DIR')
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmpretrain')):
        dataset = DATASETS.build(dataset_cfg)
    size = label_size(args.size)
    print(f'GT-mask labels of {len(dataset)} images ({size[0]}x{size[1]}, '
          f'h x w) -> {out}', flush=True)
    write_gt_mask_labels(
        dataset,
        out,
        size=size,
        threshold=args.threshold,
        num_threads=args.threads,
        info=dict(config=args.config, data_root=dataset_cfg.get('data_root')))
    print(f'GT-mask labels written to {out}')


if __name__ == '__main__':
    main()
