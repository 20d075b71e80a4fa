"""Label files from the GT masks (the upper-bound reference of stage 2)."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmseg.registry import DATASETS

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.datasets import CUB200WSOLDataset
from spol_mm.pseudo_label import (GPPLConfig, check_pseudo_label_meta,
                                  gt_mask_label_params, gt_mask_to_label,
                                  label_path, read_pseudo_label_meta,
                                  write_gt_mask_labels,
                                  write_pseudo_label_meta)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GT_CONFIG = osp.join(ROOT, 'configs', 'spol',
                     'mffnet2_lite0-gt-masks_8e_synthetic.py')
SIZE = 40


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """A generated CUB-layout folder: 8 training images of 40 px, masks."""
    root = str(tmp_path_factory.mktemp('gt') / 'data')
    write_synthetic_wsol(root, classes=2, train=8, test=2, size=SIZE, seed=0)
    return root


def _train_set(root, **kwargs):
    # Stage 2's training images: the `val` hold-out is left out.
    return CUB200WSOLDataset(
        data_root=root, split='train', val_fraction=0.1, pipeline=[],
        **kwargs)


def _mask(dataset, index):
    raw = cv2.imread(dataset.get_data_info(index)['gt_mask_path'],
                     cv2.IMREAD_GRAYSCALE)
    return (raw > 127).astype(np.uint8)


def _label(out, img_id):
    return cv2.imread(label_path(out, img_id), cv2.IMREAD_UNCHANGED)


def test_gt_mask_to_label_is_nearest():
    mask = np.zeros((4, 4), np.uint8)
    mask[:2, 2:] = 1
    expected = np.zeros((2, 2), np.uint8)
    expected[0, 1] = 1
    assert np.array_equal(gt_mask_to_label(mask, (2, 2)), expected)
    assert np.array_equal(
        gt_mask_to_label(mask, (8, 8)), np.kron(mask, np.ones((2, 2), int)))
    with pytest.raises(ValueError, match='uint8'):
        gt_mask_to_label(mask.astype(bool), (2, 2))


def test_labels_are_the_masks_and_stage_2_accepts_them(data, tmp_path):
    dataset = _train_set(data)
    out = str(tmp_path / 'labels')
    # At the image size the labels are the binarised masks exactly.
    write_gt_mask_labels(dataset, out, size=(SIZE, SIZE))
    ids = [dataset.get_data_info(i)['img_id'] for i in range(len(dataset))]
    assert len(ids) == 6  # 8 minus one val image per class
    for index, img_id in enumerate(ids):
        label = _label(out, img_id)
        mask = _mask(dataset, index)
        assert label.dtype == np.uint8 and label.shape == (SIZE, SIZE)
        assert 0 < label.sum() < label.size  # an object, and background
        assert np.array_equal(label, mask)  # 1 object, 0 bg, no 255
    meta = read_pseudo_label_meta(out)
    assert meta['complete'] is True and meta['num_images'] == 6
    assert meta['params'] == dict(
        source='gt_mask', size=[SIZE, SIZE], mask_threshold=127)

    # The upper-bound config's stage-2 set reads them (its meta check
    # included: source gt_mask, the same image list).
    cfg = Config.fromfile(GT_CONFIG)
    dataset_cfg = dict(cfg.train_dataloader.dataset)
    assert dataset_cfg['pseudo_label_params'] == dict(source='gt_mask')
    dataset_cfg.update(data_root=data, seg_map_root=out)
    with DefaultScope.overwrite_default_scope('mmseg'):
        stage2 = DATASETS.build(dataset_cfg)
        sample = stage2[0]
    assert [stage2.get_data_info(i)['seg_map_path']
            for i in range(len(stage2))] == [label_path(out, i) for i in ids]
    seg = sample['data_samples'].gt_sem_seg.data
    assert tuple(seg.shape[-2:]) == (224, 224)
    assert set(seg.unique().tolist()) <= {0, 1}

    # GPPL's labels are refused where the GT masks' are expected.
    gppl = str(tmp_path / 'gppl')
    write_pseudo_label_meta(gppl, GPPLConfig().to_dict(), ids, True)
    with pytest.raises(ValueError, match='source: not recorded.*'
                       'gt_masks_to_labels.py CONFIG --out'):
        check_pseudo_label_meta(gppl, dict(source='gt_mask'), ids)


def test_labels_are_made_at_the_label_size(data, tmp_path):
    dataset = _train_set(data)
    out = str(tmp_path / 'labels')
    write_gt_mask_labels(dataset, out, num_threads=0)  # 256 x 256
    small = str(tmp_path / 'small')
    write_gt_mask_labels(dataset, small, size=(8, 8))
    assert read_pseudo_label_meta(small)['params']['size'] == [8, 8]
    for index in range(len(dataset)):
        img_id = dataset.get_data_info(index)['img_id']
        mask = _mask(dataset, index)
        # The file has the image's size; its detail is that of `size`.
        coarse = cv2.resize(mask, (8, 8), interpolation=cv2.INTER_NEAREST)
        expected = cv2.resize(coarse, (SIZE, SIZE),
                              interpolation=cv2.INTER_NEAREST)
        assert np.array_equal(_label(small, img_id), expected)
        assert _label(out, img_id).shape == (SIZE, SIZE)


def test_resumes_and_refuses_other_settings(data, tmp_path):
    dataset = _train_set(data)
    out = str(tmp_path / 'labels')
    write_gt_mask_labels(dataset, out, size=(16, 16))
    ids = [dataset.get_data_info(i)['img_id'] for i in range(len(dataset))]
    kept = label_path(out, ids[0])
    os.utime(kept, (0, 0))
    os.remove(label_path(out, ids[1]))
    # A killed run: its meta says incomplete, one label is missing.
    meta = read_pseudo_label_meta(out)
    write_pseudo_label_meta(out, meta['params'], ids, False)
    with pytest.raises(ValueError, match='did not finish'):
        check_pseudo_label_meta(out, {}, ids)
    write_gt_mask_labels(dataset, out, size=(16, 16))
    assert os.stat(kept).st_mtime == 0  # kept, not rewritten
    assert osp.isfile(label_path(out, ids[1]))
    check_pseudo_label_meta(out, gt_mask_label_params((16, 16)), ids)
    with pytest.raises(ValueError, match='size: generated with'):
        write_gt_mask_labels(dataset, out, size=(32, 32))
    with pytest.raises(ValueError, match='image list'):
        write_gt_mask_labels(
            CUB200WSOLDataset(data_root=data, split='train', pipeline=[]),
            out, size=(16, 16))
    # A GPPL directory is not overwritten with GT labels.
    gppl = str(tmp_path / 'gppl')
    write_pseudo_label_meta(gppl, GPPLConfig().to_dict(), ids, False)
    with pytest.raises(ValueError, match='source: not recorded'):
        write_gt_mask_labels(dataset, gppl)
    assert not any(p.endswith('.png') for _, _, files in os.walk(gppl)
                   for p in files)


def test_missing_or_misfit_masks_name_the_image(data, tmp_path):
    mine = str(tmp_path / 'data')
    write_synthetic_wsol(mine, classes=2, train=4, test=2, size=32, seed=1)
    dataset = CUB200WSOLDataset(
        data_root=mine, split='train', pipeline=[], check_files=False)
    info = dataset.get_data_info(1)
    os.remove(info['gt_mask_path'])
    with pytest.raises(FileNotFoundError,
                       match=f'1 GT mask file.*image {info["img_id"]}'):
        write_gt_mask_labels(dataset, str(tmp_path / 'a'))

    cv2.imwrite(info['gt_mask_path'], np.zeros((20, 32), np.uint8))
    with pytest.raises(ValueError,
                       match=f'image {info["img_id"]}: GT mask .* 32x20'):
        write_gt_mask_labels(dataset, str(tmp_path / 'b'))

    # No segmentations/ at all: no image has a mask.
    os.rename(osp.join(mine, 'segmentations'), osp.join(mine, 'hidden'))
    dataset = CUB200WSOLDataset(data_root=mine, split='train', pipeline=[])
    first = dataset.get_data_info(0)['img_id']
    with pytest.raises(ValueError,
                       match=f'4 of 4 images have no GT mask.*{first}'):
        write_gt_mask_labels(dataset, str(tmp_path / 'c'))
    assert not osp.exists(str(tmp_path / 'c'))


def test_meta_json_names_the_source(data, tmp_path):
    out = str(tmp_path / 'labels')
    write_gt_mask_labels(_train_set(data), out, size=(8, 8),
                         info=dict(config='x.py'))
    with open(osp.join(out, 'gppl_meta.json')) as f:
        meta = json.load(f)
    assert meta['params']['source'] == 'gt_mask' and meta['config'] == 'x.py'
    # No temp file of the atomic writes is left.
    leftovers = [p for _, _, files in os.walk(out) for p in files
                 if p.endswith('.tmp')]
    assert leftovers == []
