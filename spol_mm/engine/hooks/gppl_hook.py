"""Writes GPPL pseudo labels for the training images after stage 1."""
import copy
import os
import os.path as osp
from typing import (Any, Dict, Iterator, List, Optional, Sequence, Tuple,
                    Union)

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmengine.dist import barrier, get_dist_info
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import DATASETS
from mmengine.utils import ProgressBar
from torch import Tensor
from torch.utils.data import DataLoader, Dataset

from spol_mm.models.functional import select_class_maps
from spol_mm.pseudo_label import (COUNT_NAMES, GPPLConfig, check_resumable,
                                  gppl_labels, gt_mask_entries, label_counts,
                                  label_path, label_quality,
                                  load_gt_mask_label, normalize_cams,
                                  write_label_pngs, write_pseudo_label_meta)
from spol_mm.registry import HOOKS
from spol_mm.utils.fileio import remove_stale_temps

# The authors' inference for pseudo labels: the whole training image
# resized to 256 x 256, no crop, no flip.
DEFAULT_SIZE = (256, 256)


def default_pipeline(size: Tuple[int, int] = DEFAULT_SIZE) -> List[dict]:
    """Load, resize to ``size`` (h, w) without keeping the ratio, pack."""
    return [
        dict(type='LoadWSOLImage'),
        dict(type='Resize', scale=(size[1], size[0]), keep_ratio=False),
        dict(type='PackWSOLInputs'),
    ]


class _PendingImages(Dataset):
    """The dataset's samples at ``indices``, checked against their ids."""

    def __init__(self, dataset: Any, indices: Sequence[int],
                 img_ids: Sequence[str]) -> None:
        self.dataset = dataset
        self.indices = list(indices)
        self.img_ids = img_ids

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i: int) -> dict:
        index = self.indices[i]
        sample = self.dataset[index]
        # mmengine datasets may hand back ANOTHER image when the pipeline
        # drops one; a label must never be written under the wrong name.
        got = sample['data_samples'].metainfo.get('img_id')
        if got != self.img_ids[index]:
            raise RuntimeError(
                f'dataset index {index}: expected image '
                f'{self.img_ids[index]!r}, the pipeline returned {got!r} '
                '(does it pack `img_id`? use PackWSOLInputs)')
        return sample


def dataset_img_ids(dataset: Any) -> List[str]:
    """``img_id`` of every entry, read without loading images.

    Args:
        dataset: A dataset with ``get_data_info`` (mmengine BaseDataset).

    Returns:
        list[str]: One id per index.
    """
    if not hasattr(dataset, 'get_data_info'):
        raise TypeError(f'{type(dataset).__name__} has no get_data_info(); '
                        'GPPL needs an mmengine BaseDataset whose entries '
                        'carry `img_id`')
    img_ids = []
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        if 'img_id' not in info:
            raise KeyError(f'{type(dataset).__name__}[{index}] has no '
                           '`img_id` (see the data contract)')
        img_ids.append(str(info['img_id']))
    # Ids differing only in their extension would share a label file.
    seen: Dict[str, str] = {}
    for img_id in img_ids:
        stem = osp.splitext(img_id)[0]
        if stem in seen:
            raise ValueError(
                f'{type(dataset).__name__}: images {seen[stem]!r} and '
                f'{img_id!r} would share the label file {stem}.png')
        seen[stem] = img_id
    return img_ids


def gt_class_cams(cams: Tensor, data_samples: Sequence[Any]) -> Tensor:
    """The CAM of each sample's ground-truth class, (N, h, w).

    :func:`~spol_mm.models.functional.select_class_maps` after checking
    that every sample has one class, within the CAM's channels.
    """
    if cams.dim() != 4:
        raise ValueError('model(inputs, mode="tensor") must return CAMs '
                         f'(N, num_classes, h, w), got {tuple(cams.shape)}')
    labels = []
    for sample in data_samples:
        gt = sample.gt_label.flatten()
        if gt.numel() != 1:
            raise ValueError(f'{sample.metainfo.get("img_id")}: GPPL needs '
                             f'one ground-truth class, got {gt.tolist()}')
        labels.append(int(gt))
    index = torch.as_tensor(labels, device=cams.device)
    if bool((index < 0).any()) or bool((index >= cams.shape[1]).any()):
        raise ValueError(f'ground-truth classes {labels} outside the '
                         f'{cams.shape[1]} CAM channels')
    return select_class_maps(cams, index)


def generate_pseudo_labels(model: nn.Module,
                           dataset: Any,
                           out_dir: str,
                           gppl_cfg: Union[GPPLConfig, Dict, None] = None,
                           size: Tuple[int, int] = DEFAULT_SIZE,
                           batch_size: int = 32,
                           num_workers: int = 0,
                           extra_params: Optional[Dict[str, Any]] = None,
                           info: Optional[Dict[str, Any]] = None) -> str:
    """Run ``model`` over ``dataset`` and write one label PNG per image.

    For each batch: ``model.data_preprocessor`` -> ``model(inputs,
    mode='tensor')`` (CAMs N x C x h x w) -> the ground-truth class's CAM
    -> divided by its max (+1e-6) -> bilinear resize to ``size`` ->
    :func:`gppl_labels` -> nearest resize to the image's ``ori_shape`` ->
    ``<out_dir>/<img_id without extension>.png`` (uint8: 1 fg, 0 bg, 255
    ignore), written atomically. Existing label files are skipped, so an
    interrupted run resumes. In distributed runs rank ``r`` of ``w`` takes
    the images ``r, r + w, ...``; rank 0 writes ``gppl_meta.json``.

    Args:
        model (nn.Module): Stage-1 classifier (wrappers are unwrapped).
        dataset: Training set whose pipeline yields packed samples with
            ``img_id``, ``ori_shape`` and ``gt_label``.
        out_dir (str): Where the labels go.
        gppl_cfg (GPPLConfig | dict, optional): GPPL settings.
        size (tuple[int, int]): (h, w) the CAM is resized to before GPPL.
        batch_size (int): Images per forward pass.
        num_workers (int): DataLoader workers.
        extra_params (dict, optional): More settings the labels depend on
            (recorded in the meta and checked on resume), e.g. the pipeline.
        info (dict, optional): Informative meta entries (not checked).

    Returns:
        str: ``out_dir``.
    """
    if is_model_wrapper(model):
        model = model.module
    gppl_cfg = GPPLConfig.build(gppl_cfg)
    params = dict(gppl_cfg.to_dict(), size=list(size), **(extra_params or {}))
    img_ids = dataset_img_ids(dataset)
    rank, world_size = get_dist_info()

    # A directory made with other settings or images must not be resumed.
    check_resumable(out_dir, params, img_ids)
    if rank == 0:
        # Temp files of a killed run; no rank writes before the barrier.
        remove_stale_temps(out_dir, recursive=True)
    barrier()
    if rank == 0:
        write_pseudo_label_meta(out_dir, params, img_ids, False, **(info
                                                                    or {}))

    mine = range(rank, len(img_ids), world_size)
    pending = [
        i for i in mine if not osp.exists(label_path(out_dir, img_ids[i]))
    ]
    print_log(
        f'GPPL: {len(pending)} of {len(mine)} label(s) of rank {rank} to '
        f'write to {out_dir}',
        logger='current')
    if pending:
        _write_labels(
            model,
            _PendingImages(dataset, pending, img_ids),
            out_dir,
            gppl_cfg,
            size,
            batch_size,
            num_workers,
            show_progress=rank == 0)

    missing = [
        img_ids[i] for i in mine
        if not osp.exists(label_path(out_dir, img_ids[i]))
    ]
    if missing:
        raise RuntimeError(f'GPPL: {len(missing)} label(s) were not '
                           f'written, e.g. {missing[:3]}')
    # Labels skip fsync one by one: flush them all before calling them done.
    os.sync()
    barrier()
    if rank == 0:
        write_pseudo_label_meta(out_dir, params, img_ids, True, **(info or {}))
    barrier()
    return out_dir


def iter_gppl_cams(model: nn.Module,
                   images: Dataset,
                   size: Tuple[int, int] = DEFAULT_SIZE,
                   batch_size: int = 32,
                   num_workers: int = 0,
                   show_progress: bool = False
                   ) -> Iterator[Tuple[List[Any], Tensor]]:
    """The maps GPPL starts from, batch by batch: each image's ground-truth
    class CAM, divided by its max (+1e-6), bilinearly resized to ``size``.

    Args:
        model (nn.Module): Stage-1 classifier (not a wrapper); it runs in
            eval mode and is put back in its mode afterwards.
        images (Dataset): Packed samples with ``img_id`` and ``gt_label``.
        size (tuple[int, int]): (h, w) of the maps.
        batch_size (int): Images per forward pass.
        num_workers (int): DataLoader workers.
        show_progress (bool): Show a progress bar.

    Yields:
        tuple[list, Tensor]: The batch's data samples and its maps
        (N, h, w) in [0, 1], float32.
    """
    loader = DataLoader(
        images,
        batch_size=batch_size,
        shuffle=False,
        num_workers=num_workers,
        collate_fn=pseudo_collate)
    progress = ProgressBar(len(images)) if show_progress else None
    was_training = model.training
    model.eval()
    try:
        for batch in loader:
            with torch.no_grad():
                data = model.data_preprocessor(batch, False)
                samples = data['data_samples']
                cams = gt_class_cams(
                    model(data['inputs'], mode='tensor'), samples).float()
                try:
                    cams = normalize_cams(cams)
                except ValueError as e:
                    ids = [s.metainfo['img_id'] for s in samples]
                    raise ValueError(f'GPPL: CAMs of the images {ids}: {e}')
                cams = F.interpolate(
                    cams[:, None],
                    size=tuple(size),
                    mode='bilinear',
                    align_corners=False)[:, 0]
            yield samples, cams
            if progress is not None:
                progress.update(len(samples))
    finally:
        model.train(was_training)
    if progress is not None:
        progress.file.write('\n')


def _write_labels(model: nn.Module, images: _PendingImages, out_dir: str,
                  gppl_cfg: GPPLConfig, size: Tuple[int, int], batch_size: int,
                  num_workers: int, show_progress: bool) -> None:
    for samples, cams in iter_gppl_cams(model, images, size, batch_size,
                                        num_workers, show_progress):
        labels = gppl_labels(cams, gppl_cfg, normalize=False).cpu()
        write_label_pngs(out_dir, [s.metainfo['img_id'] for s in samples],
                         labels.numpy(),
                         [s.metainfo['ori_shape'][:2] for s in samples])


def measure_label_quality(model: nn.Module,
                          dataset: Dataset,
                          settings: Dict[str, Union[GPPLConfig, Dict]],
                          size: Tuple[int, int] = DEFAULT_SIZE,
                          batch_size: int = 32,
                          num_workers: int = 0,
                          mask_threshold: int = 127,
                          show_progress: bool = True
                          ) -> Dict[str, Dict[str, float]]:
    """The labels each GPPL setting would give ``dataset``, scored against
    its GT masks, from ONE pass of the model.

    The maps are those of :func:`generate_pseudo_labels` (the same
    :func:`iter_gppl_cams`); labels and GT masks (nearest-resized) are
    compared at ``size``, the resolution GPPL works at. Nothing is written.

    Args:
        model (nn.Module): Stage-1 classifier (wrappers are unwrapped).
        dataset: Training set (packed samples with ``img_id`` and
            ``gt_label``; entries with ``gt_mask_path``).
        settings (dict): Name -> :class:`GPPLConfig` (or its fields).
        size (tuple[int, int]): (h, w) of the maps and labels.
        batch_size (int): Images per forward pass.
        num_workers (int): DataLoader workers.
        mask_threshold (int): GT mask binarisation threshold.
        show_progress (bool): Show a progress bar.

    Returns:
        dict: Name -> :func:`~spol_mm.pseudo_label.label_quality` (percent)
        plus ``images``.
    """
    if is_model_wrapper(model):
        model = model.module
    configs = {name: GPPLConfig.build(cfg) for name, cfg in settings.items()}
    entries = gt_mask_entries(dataset)  # checks every image has a mask
    by_id = {e['img_id']: e for e in entries}
    img_ids = [e['img_id'] for e in entries]
    counts = {name: np.zeros(len(COUNT_NAMES), np.int64) for name in configs}
    images = _PendingImages(dataset, range(len(img_ids)), img_ids)
    for samples, cams in iter_gppl_cams(model, images, size, batch_size,
                                        num_workers, show_progress):
        gt = np.stack([
            load_gt_mask_label(by_id[s.metainfo['img_id']], size,
                               mask_threshold)[0] for s in samples
        ])
        for name, cfg in configs.items():
            labels = gppl_labels(cams, cfg, normalize=False).cpu().numpy()
            counts[name] += label_counts(labels, gt)
    return {
        name: dict(label_quality(c), images=len(img_ids))
        for name, c in counts.items()
    }


@HOOKS.register_module()
class GPPLHook(Hook):
    """Writes GPPL pseudo labels of the training images after training.

    After stage-1 training (``after_train``), or when :meth:`generate` is
    called, the model runs over the dataset of the runner's
    ``train_dataloader`` config rebuilt with ``pipeline`` (default: load,
    resize to ``size``, pack: no crop, no flip, as the authors) and
    :func:`generate_pseudo_labels` writes
    ``<out_dir>/<img_id without extension>.png`` plus ``gppl_meta.json``.
    Stage 2 reads the directory as its ``seg_map_root`` and checks it with
    :func:`spol_mm.pseudo_label.check_pseudo_label_meta`.

    Args:
        out_dir (str, optional): Label directory. Defaults to
            ``<runner.work_dir>/pseudo_labels``.
        gppl_cfg (dict, optional): :class:`GPPLConfig` fields.
        size (tuple[int, int]): (h, w) of the inputs (default pipeline) and
            of the CAMs fed to GPPL. Defaults to (256, 256).
        pipeline (list[dict], optional): Replaces the training pipeline; it
            must pack ``img_id``, ``ori_shape`` and ``gt_label``.
        batch_size (int, optional): Defaults to the train batch size.
        num_workers (int, optional): Defaults to the train loader's.
        run_after_train (bool): Set False to only use :meth:`generate`.
    """

    priority = 'VERY_LOW'  # after the checkpoint of the last epoch

    def __init__(self,
                 out_dir: Optional[str] = None,
                 gppl_cfg: Optional[Dict[str, Any]] = None,
                 size: Tuple[int, int] = DEFAULT_SIZE,
                 pipeline: Optional[List[dict]] = None,
                 batch_size: Optional[int] = None,
                 num_workers: Optional[int] = None,
                 run_after_train: bool = True) -> None:
        self.out_dir = out_dir
        self.gppl_cfg = GPPLConfig.build(gppl_cfg)
        self.size = (int(size[0]), int(size[1]))
        self.pipeline = copy.deepcopy(
            pipeline) if pipeline is not None else default_pipeline(self.size)
        self.batch_size = batch_size
        self.num_workers = num_workers
        self.run_after_train = run_after_train

    @classmethod
    def from_config(cls, cfg: Any) -> 'GPPLHook':
        """The hook of a config's ``custom_hooks``, or one with the
        defaults when the config has none.

        Args:
            cfg (Config): A stage-1 config.

        Returns:
            GPPLHook: Its settings (``gppl_cfg``, ``size``, ``pipeline``...).
        """
        for hook_cfg in cfg.get('custom_hooks', None) or []:
            if hook_cfg.get('type') in ('GPPLHook', cls):
                kwargs = copy.deepcopy(dict(hook_cfg))
                kwargs.pop('type')
                kwargs.pop('priority', None)
                return cls(**kwargs)
        return cls()

    def after_train(self, runner) -> None:
        if self.run_after_train:
            self.generate(runner)

    def build_dataset(self, dataloader_cfg: Dict[str, Any]) -> Any:
        """The training dataset with this hook's pipeline.

        Dataset wrappers (``dict(type=..., dataset=...)``) are unwrapped, so
        every image is labelled once.
        """
        dataset_cfg = copy.deepcopy(dataloader_cfg.get('dataset'))
        if dataset_cfg is None:
            raise ValueError('GPPLHook: train_dataloader has no `dataset`')
        while 'dataset' in dataset_cfg:
            dataset_cfg = dataset_cfg['dataset']
        if 'datasets' in dataset_cfg:
            raise ValueError('GPPLHook cannot label a ConcatDataset; '
                             'generate each dataset separately')
        dataset_cfg['pipeline'] = copy.deepcopy(self.pipeline)
        # The root registry follows the runner's default scope (mmpretrain).
        return DATASETS.build(dataset_cfg)

    def _dataset_and_loader(self, runner) -> Tuple[Any, int, int]:
        loader_cfg = runner.cfg.get('train_dataloader')
        if loader_cfg is None:
            raise ValueError('GPPLHook needs the config\'s train_dataloader '
                             '(its dataset is labelled)')
        batch_size = self.batch_size or loader_cfg.get('batch_size', 1)
        num_workers = self.num_workers if self.num_workers is not None \
            else loader_cfg.get('num_workers', 0)
        return self.build_dataset(loader_cfg), batch_size, num_workers

    def quality(self, runner: Any,
                settings: Dict[str, Union[GPPLConfig, Dict]]
                ) -> Dict[str, Dict[str, float]]:
        """:func:`measure_label_quality` of the training images for each
        of ``settings`` (plus this hook's own, as ``'this config'``).

        Args:
            runner: The runner (``model`` and ``cfg.train_dataloader``).
            settings (dict): Name -> GPPL settings.

        Returns:
            dict: Name -> label quality (percent).
        """
        dataset, batch_size, num_workers = self._dataset_and_loader(runner)
        return measure_label_quality(
            runner.model,
            dataset,
            dict(settings, **{'this config': self.gppl_cfg}),
            self.size,
            batch_size=batch_size,
            num_workers=num_workers)

    def generate(self,
                 runner,
                 out_dir: Optional[str] = None,
                 info: Optional[Dict[str, Any]] = None) -> str:
        """Write the labels now; usable without training.

        Args:
            runner: The runner (``model``, ``cfg.train_dataloader`` and
                ``work_dir`` are used).
            out_dir (str, optional): Overrides the hook's ``out_dir``.
            info (dict, optional): Informative meta entries, e.g. the
                checkpoint.

        Returns:
            str: The label directory.
        """
        out_dir = out_dir or self.out_dir or osp.join(runner.work_dir,
                                                      'pseudo_labels')
        dataset, batch_size, num_workers = self._dataset_and_loader(runner)
        return generate_pseudo_labels(
            runner.model,
            dataset,
            out_dir,
            self.gppl_cfg,
            self.size,
            batch_size=batch_size,
            num_workers=num_workers,
            extra_params=dict(pipeline=self.pipeline),
            info=dict(
                work_dir=getattr(runner, 'work_dir', None), **(info or {})))
