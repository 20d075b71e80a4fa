"""GPPLHook / generate_pseudo_labels with a fake dataset and a fake CAM model.

The model's CAM of class k is channel k of the input, average-pooled by 8;
class 0 images hold a square at the top left, class 1 at the bottom right.
"""
import os
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

import spol_mm.engine.hooks.gppl_hook as hook_module
from spol_mm.engine import GPPLHook, generate_pseudo_labels
from spol_mm.pseudo_label import (GPPLConfig, check_pseudo_label_meta,
                                  gppl_labels, read_pseudo_label_meta)

ORI_SHAPE = (48, 80)  # (h, w) of every "original" image
# Input-frame (64 x 64) squares of each class: rows, cols.
SQUARES = {0: (slice(8, 32), slice(8, 32)), 1: (slice(40, 56), slice(32, 56))}


class FakeDataset:
    """What a WSOL dataset with PackWSOLInputs yields, without images."""

    def __init__(self, num=5, pipeline=None):
        self.pipeline = pipeline
        self.img_ids = [f'class_{i % 2}/img_{i}.jpg' for i in range(num)]

    def __len__(self):
        return len(self.img_ids)

    def get_data_info(self, index):
        return dict(img_id=self.img_ids[index], gt_label=index % 2)

    def __getitem__(self, index):
        label = index % 2
        img = torch.zeros(3, 64, 64)
        for k, (rows, cols) in SQUARES.items():
            img[k, rows, cols] = 1. + index  # scale must not matter
        sample = DataSample(
            metainfo=dict(img_id=self.img_ids[index],
                          ori_shape=ORI_SHAPE)).set_gt_label(label)
        return dict(inputs=img, data_samples=sample)


class FakeCAMModel(BaseModel):

    def __init__(self):
        super().__init__(data_preprocessor=dict(type='ImgDataPreprocessor'))
        self.batches = []

    def forward(self, inputs, data_samples=None, mode='tensor'):
        assert mode == 'tensor' and not self.training
        self.batches.append(inputs.shape[0])
        return F.avg_pool2d(inputs[:, :2], 8)


def _expected(index, **gppl):
    """The label of image ``index``, computed step by step."""
    sample = FakeDataset()[index]
    cam = F.avg_pool2d(sample['inputs'][None, index % 2:index % 2 + 1], 8)
    cam = cam / (cam.amax() + 1e-6)
    cam = F.interpolate(cam, size=(256, 256), mode='bilinear')[:, 0]
    label = gppl_labels(cam, normalize=False, **gppl)[0].numpy()
    return cv2.resize(label, ORI_SHAPE[::-1], interpolation=cv2.INTER_NEAREST)


def _read(out_dir, img_id):
    path = os.path.join(out_dir, os.path.splitext(img_id)[0] + '.png')
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)


def _pngs(out_dir):
    return sorted(
        os.path.relpath(os.path.join(root, f), out_dir)
        for root, _, files in os.walk(out_dir) for f in files)


def test_writes_labels_of_the_gt_class_and_meta(tmp_path):
    out = str(tmp_path / 'labels')
    model, dataset = FakeCAMModel(), FakeDataset()
    generate_pseudo_labels(model, dataset, out, batch_size=2)
    assert model.batches == [2, 2, 1]
    assert _pngs(
        out) == sorted(['gppl_meta.json'] +
                       [i.replace('.jpg', '.png') for i in dataset.img_ids])
    for index, img_id in enumerate(dataset.img_ids):
        label = _read(out, img_id)
        assert label.dtype == np.uint8 and label.shape == ORI_SHAPE
        assert np.array_equal(label, _expected(index))
        assert set(np.unique(label)) == {0, 1, 255}
    # Image 0 is class 0: its square (rows 8-31 of 64 -> 6-23 of 48, cols
    # 8-31 -> 10-38 of 80) is foreground, class 1's square is background.
    label = _read(out, dataset.img_ids[0])
    assert label[15, 25] == 1 and label[36, 55] == 0
    label = _read(out, dataset.img_ids[1])
    assert label[15, 25] == 0 and label[36, 55] == 1
    meta = check_pseudo_label_meta(
        out, dict(GPPLConfig().to_dict(), size=[256, 256]), dataset.img_ids)
    assert meta['complete'] and meta['num_images'] == 5


def test_rerun_rewrites_only_missing_files(tmp_path):
    out = str(tmp_path)
    dataset = FakeDataset()
    generate_pseudo_labels(FakeCAMModel(), dataset, out, batch_size=4)
    paths = [
        os.path.join(out, i.replace('.jpg', '.png')) for i in dataset.img_ids
    ]
    for path in paths:  # an old, recognisable mtime
        os.utime(path, ns=(10**18, 10**18))
    os.remove(paths[3])
    model = FakeCAMModel()
    generate_pseudo_labels(model, dataset, out, batch_size=4)
    assert model.batches == [1]
    assert [os.stat(p).st_mtime_ns == 10**18
            for p in paths] == [True, True, True, False, True]
    assert np.array_equal(_read(out, dataset.img_ids[3]), _expected(3))


def test_interrupted_run_leaves_no_partial_label_and_resumes(
        tmp_path, monkeypatch):
    out = str(tmp_path)
    dataset = FakeDataset()
    real_replace = os.replace

    def dying_replace(src, dst):
        # The process "crashes" while writing img_2: its temp file exists,
        # the rename never happens. The other writer threads go on.
        if dst.endswith('img_2.png'):
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, 'replace', dying_replace)
    with pytest.raises(KeyboardInterrupt):
        generate_pseudo_labels(FakeCAMModel(), dataset, out, batch_size=2)
    # img_3 was written by another thread of the same batch; no temp file
    # of img_2 is left.
    assert _pngs(out) == [
        'class_0/img_0.png', 'class_1/img_1.png', 'class_1/img_3.png',
        'gppl_meta.json'
    ]
    assert not read_pseudo_label_meta(out)['complete']
    with pytest.raises(ValueError, match='did not finish'):
        check_pseudo_label_meta(out, {}, dataset.img_ids)

    monkeypatch.undo()
    model = FakeCAMModel()
    generate_pseudo_labels(model, dataset, out, batch_size=2)
    assert model.batches == [2]  # img_2 and img_4 only
    check_pseudo_label_meta(out, {}, dataset.img_ids)
    for index, img_id in enumerate(dataset.img_ids):
        assert np.array_equal(_read(out, img_id), _expected(index))


def test_refuses_to_resume_with_other_settings(tmp_path):
    out = str(tmp_path)
    generate_pseudo_labels(FakeCAMModel(), FakeDataset(), out)
    with pytest.raises(
            ValueError,
            match='already holds pseudo labels made '
            'differently.*fg_thr: generated with 0.5'):
        generate_pseudo_labels(FakeCAMModel(), FakeDataset(), out,
                               dict(fg_thr=0.4))
    with pytest.raises(ValueError, match='image list'):
        generate_pseudo_labels(FakeCAMModel(), FakeDataset(4), out)


def test_ranks_take_disjoint_strided_slices(tmp_path, monkeypatch):
    monkeypatch.setattr(hook_module, 'get_dist_info', lambda: (1, 2))
    model = FakeCAMModel()
    generate_pseudo_labels(model, FakeDataset(), str(tmp_path), batch_size=8)
    assert model.batches == [2]
    # Rank 1 of 2 labels images 1 and 3 and leaves the meta to rank 0.
    assert _pngs(str(tmp_path)) == ['class_1/img_1.png', 'class_1/img_3.png']


def test_hook_labels_the_train_dataset_after_training(tmp_path):
    model = FakeCAMModel()
    runner = SimpleNamespace(
        model=model,
        work_dir=str(tmp_path),
        cfg=Config(
            dict(
                train_dataloader=dict(
                    batch_size=3,
                    num_workers=0,
                    dataset=dict(
                        type='RepeatDataset',
                        times=3,
                        dataset=dict(
                            type=FakeDataset,
                            pipeline=[dict(type='RandomCrop')]))))))
    built = []
    hook = GPPLHook(gppl_cfg=dict(fg_thr=0.6))
    real_build = hook.build_dataset
    hook.build_dataset = lambda cfg: built.append(real_build(cfg)) or built[0]
    hook.after_train(runner)
    # The wrapper is dropped and the pipeline replaced by the authors'.
    assert built[0].pipeline == [
        dict(type='LoadWSOLImage'),
        dict(type='Resize', scale=(256, 256), keep_ratio=False),
        dict(type='PackWSOLInputs'),
    ]
    assert model.batches == [3, 2]
    out = str(tmp_path / 'pseudo_labels')
    meta = check_pseudo_label_meta(out, dict(fg_thr=0.6),
                                   FakeDataset().img_ids)
    assert meta['params']['pipeline'][1]['scale'] == [256, 256]
    assert np.array_equal(
        _read(out, 'class_1/img_1.jpg'), _expected(1, fg_thr=0.6))
    GPPLHook(run_after_train=False).after_train(
        SimpleNamespace(model=None, work_dir=None, cfg=None))


def test_gppl_hook_is_registered_in_both_toolboxes():
    from mmpretrain.registry import HOOKS as PRETRAIN_HOOKS
    from mmseg.registry import HOOKS as SEG_HOOKS
    assert PRETRAIN_HOOKS.get('GPPLHook') is GPPLHook
    assert SEG_HOOKS.get('GPPLHook') is GPPLHook


def test_clear_errors_for_bad_ids_and_model_outputs(tmp_path):
    dataset = FakeDataset(2)
    dataset.img_ids = ['a/1.jpg', 'a/1.png']
    with pytest.raises(ValueError, match="'a/1.jpg' and 'a/1.png' would "
                       'share the label file a/1.png'):
        generate_pseudo_labels(FakeCAMModel(), dataset, str(tmp_path))

    class FlatModel(FakeCAMModel):

        def forward(self, inputs, data_samples=None, mode='tensor'):
            return inputs.mean((2, 3))  # (N, C) logits, not CAMs

    with pytest.raises(ValueError, match='must return CAMs'):
        generate_pseudo_labels(FlatModel(), FakeDataset(2), str(tmp_path))


class MaskedFakeDataset(FakeDataset):
    """FakeDataset with image files and GT masks on disk: the object of
    each image is its class's square (in the original frame)."""

    def __init__(self, root, num=4):
        super().__init__(num)
        self.root = root
        for index, img_id in enumerate(self.img_ids):
            rows, cols = SQUARES[index % 2]
            mask = np.zeros((64, 64), np.uint8)
            mask[rows, cols] = 255
            mask = cv2.resize(mask, ORI_SHAPE[::-1],
                              interpolation=cv2.INTER_NEAREST)
            stem = os.path.join(root, os.path.splitext(img_id)[0])
            os.makedirs(os.path.dirname(stem), exist_ok=True)
            cv2.imwrite(stem + '.jpg', np.zeros(ORI_SHAPE + (3, ), np.uint8))
            cv2.imwrite(stem + '_mask.png', mask)

    def get_data_info(self, index):
        stem = os.path.join(self.root,
                            os.path.splitext(self.img_ids[index])[0])
        return dict(super().get_data_info(index), img_path=stem + '.jpg',
                    gt_mask_path=[stem + '_mask.png'])


def test_label_quality_of_each_setting_from_one_pass(tmp_path):
    from spol_mm.engine.hooks.gppl_hook import measure_label_quality
    from spol_mm.pseudo_label import (gt_mask_to_label, label_counts,
                                      label_quality)
    model, dataset = FakeCAMModel(), MaskedFakeDataset(str(tmp_path))
    settings = {'paper': {}, 'bg 0.2': dict(bg_thr=0.2),
                'released': dict(mode='released', fg_thr=0.25, bg_thr=0.01)}
    quality = measure_label_quality(model, dataset, settings, batch_size=4)
    assert model.batches == [4]  # one pass for every setting
    for name, gppl in settings.items():
        total = 0
        for index, img_id in enumerate(dataset.img_ids):
            sample = dataset[index]
            cam = F.avg_pool2d(
                sample['inputs'][None, index % 2:index % 2 + 1], 8)
            cam = F.interpolate(cam / (cam.amax() + 1e-6), size=(256, 256),
                                mode='bilinear')[:, 0]
            label = gppl_labels(cam, normalize=False, **gppl)[0].numpy()
            mask = cv2.imread(dataset.get_data_info(index)['gt_mask_path'][0],
                              cv2.IMREAD_GRAYSCALE)
            total = total + label_counts(
                label, gt_mask_to_label((mask > 127).astype(np.uint8),
                                        (256, 256)))
        assert quality[name] == dict(label_quality(total), images=4), name
    # The CAM is the square, blurred by the pooling: its labels are mostly
    # right, and a higher background threshold labels more background.
    assert quality['paper']['fg_precision'] > 90
    assert quality['bg 0.2']['bg_recall'] > quality['paper']['bg_recall']


def test_label_quality_needs_a_mask_for_every_image(tmp_path):
    from spol_mm.engine.hooks.gppl_hook import measure_label_quality
    dataset = MaskedFakeDataset(str(tmp_path))
    with_masks = dataset.get_data_info

    def info(index):
        out = with_masks(index)
        return dict(out, gt_mask_path=[]) if index == 2 else out

    dataset.get_data_info = info
    with pytest.raises(ValueError, match=r'1 of 4 images have no GT mask '
                       r'\(gt_mask_path\), e\.g\. class_0/img_2\.jpg'):
        measure_label_quality(FakeCAMModel(), dataset, {'paper': {}})
