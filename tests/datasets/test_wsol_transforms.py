"""Boxes and masks follow the image through the WSOL pipelines.

The key check draws each GT box as a filled rectangle in the image (and in
its mask), runs the transforms, and compares the transformed box with where
the rectangle's pixels ended up.
"""
import os.path as osp

import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.registry import TRANSFORMS as PRETRAIN_TRANSFORMS
from mmpretrain.structures import DataSample
from mmseg.registry import TRANSFORMS as SEG_TRANSFORMS

from spol_mm.datasets import (LoadWSOLMask, PackWSOLInputs, WSOLCenterCrop,
                              WSOLRandomCrop, binarize_mask)
from spol_mm.pseudo_label import write_pseudo_label_meta
from spol_mm.registry import DATASETS
from tests.datasets.wsol_data import (cub_rel_path, draw_image, draw_mask,
                                      make_cub, pixel_extent, write_png)

CONFIG_DIR = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '_base_', 'datasets')


def _sample(shape, boxes, with_mask=True):
    """A results dict as LoadImageFromFile + LoadWSOLMask leave it."""
    boxes = np.asarray(boxes, np.float32)
    results = dict(
        img=draw_image(shape, boxes.astype(int)),
        img_shape=shape,
        ori_shape=shape,
        gt_bboxes=boxes.copy(),
        ori_gt_bboxes=boxes.copy())
    if with_mask:
        results['gt_seg_map'] = draw_mask(shape, boxes[:1].astype(int), 1)
    return results


def _assert_boxes_match_drawing(results):
    """Each box within 1 px of its rectangle's pixels (channel i % 3)."""
    for i, box in enumerate(results['gt_bboxes']):
        drawn = pixel_extent(results['img'][..., i % 3])
        assert np.abs(np.asarray(box) - drawn).max() <= 1, (i, box, drawn)
    if 'gt_seg_map' in results:
        drawn = pixel_extent(results['gt_seg_map'], threshold=0)
        assert np.abs(results['gt_bboxes'][0] - drawn).max() <= 1


def _build(cfgs):
    return Compose([PRETRAIN_TRANSFORMS.build(c) for c in cfgs])


RESIZE = dict(type='Resize', scale=(256, 256), keep_ratio=False)
# Two boxes in a 300 x 400 (h x w) image, the second one reaching the left
# border, so the centre crop cuts it.
SHAPE = (300, 400)
BOXES = [[50, 60, 210, 180], [0, 100, 30, 290]]


def test_resize_centre_crop_flip_follow_drawing():
    pipeline = _build([
        RESIZE,
        dict(type='WSOLCenterCrop', crop_size=224),
        dict(type='RandomFlip', prob=1.0, direction='horizontal')
    ])
    results = pipeline(_sample(SHAPE, BOXES))
    assert results['img'].shape[:2] == (224, 224)
    assert results['crop_bbox'].tolist() == [16, 16, 240, 240]
    assert results['flip'] is True
    # By hand: x * 256/400 = x * 0.64, y * 256/300; minus 16; then 224 - x.
    sx, sy = 0.64, 256 / 300
    x0, x1 = 50 * sx - 16, 210 * sx - 16
    y0, y1 = 60 * sy - 16, 180 * sy - 16
    np.testing.assert_allclose(
        results['gt_bboxes'][0], [224 - x1, y0, 224 - x0, y1], atol=1e-4)
    # The second box starts left of the crop: clipped at 0, i.e. 224 after
    # the flip.
    assert results['gt_bboxes'][1][2] == pytest.approx(224)
    _assert_boxes_match_drawing(results)
    np.testing.assert_array_equal(results['ori_gt_bboxes'], BOXES)


@pytest.mark.parametrize('seed', [0, 1, 2, 3])
def test_resize_random_crop_flip_follow_drawing(seed):
    np.random.seed(seed)
    pipeline = _build([
        RESIZE,
        dict(type='WSOLRandomCrop', crop_size=224),
        dict(type='RandomFlip', prob=0.5, direction='horizontal')
    ])
    results = pipeline(_sample(SHAPE, BOXES))
    x0, y0, x1, y1 = results['crop_bbox'].tolist()
    assert 0 <= x0 <= 32 and 0 <= y0 <= 32
    assert (x1 - x0, y1 - y0) == (224, 224)
    assert results['img'].shape[:2] == results['gt_seg_map'].shape == (224,
                                                                       224)
    _assert_boxes_match_drawing(results)


def test_random_crop_offsets_cover_the_range():
    crop = WSOLRandomCrop(crop_size=(4, 6))  # (h, w)
    np.random.seed(0)
    seen = set()
    for _ in range(200):
        out = crop(dict(img=np.zeros((6, 8, 3), np.uint8)))
        assert out['img'].shape == (4, 6, 3)
        seen.add(tuple(out['crop_bbox'][:2]))
    assert seen == {(x, y) for x in range(3) for y in range(3)}


def test_random_crop_moves_boxes_by_hand():
    img = np.arange(10 * 12).reshape(10, 12).astype(np.uint8)
    results = dict(
        img=img,
        gt_seg_map=img.copy(),
        gt_bboxes=np.array([[1, 2, 5, 9], [9, 0, 12, 3]], np.float32))
    crop = WSOLRandomCrop(crop_size=(5, 6))
    crop._offset = lambda h, w: (3, 4)  # y0, x0
    out = crop(results)
    np.testing.assert_array_equal(out['img'], img[3:8, 4:10])
    np.testing.assert_array_equal(out['gt_seg_map'], img[3:8, 4:10])
    assert out['crop_bbox'].tolist() == [4, 3, 10, 8]
    # [1,2,5,9] - (4,3) = [-3,-1,1,6] -> clip to 6x5 -> [0,0,1,5];
    # [9,0,12,3] - (4,3) = [5,-3,8,0] -> [5,0,6,0] (empty, kept).
    np.testing.assert_array_equal(out['gt_bboxes'],
                                  [[0, 0, 1, 5], [5, 0, 6, 0]])
    with pytest.raises(ValueError, match='smaller than the crop'):
        WSOLRandomCrop(crop_size=20)(dict(img=img))


def test_centre_crop_crops_seg_fields_once():
    img = np.arange(8 * 8).reshape(8, 8).astype(np.uint8)
    results = dict(
        img=img,
        gt_seg_map=img.copy(),
        pseudo=img.copy(),
        seg_fields=['gt_seg_map', 'pseudo'])
    out = WSOLCenterCrop(crop_size=(4, 2))(results)  # (w, h) as in mmcv
    assert out['crop_bbox'].tolist() == [2, 3, 6, 5]
    for key in ('img', 'gt_seg_map', 'pseudo'):
        np.testing.assert_array_equal(out[key], img[3:5, 2:6])


def test_load_wsol_mask(tmp_path):
    assert 'gt_seg_map' not in LoadWSOLMask()(dict(gt_mask_path=None))
    soft = np.array([[0, 51, 128], [153, 255, 127]], np.uint8)  # CUB votes
    path = str(tmp_path / 'm.png')
    write_png(path, soft)
    out = LoadWSOLMask()(dict(gt_mask_path=path, img=np.zeros((2, 3, 3))))
    np.testing.assert_array_equal(out['gt_seg_map'], [[0, 0, 1], [1, 1, 0]])
    assert out['gt_seg_map'].dtype == np.uint8
    assert out['seg_fields'] == ['gt_seg_map']
    np.testing.assert_array_equal(
        binarize_mask(np.array([[0, 1]], np.uint8)), [[0, 1]])
    with pytest.raises(
            ValueError, match=r'm.png is 3x2 \(w x h\) but its '
            r'image is 4x2'):
        LoadWSOLMask()(dict(gt_mask_path=path, img=np.zeros((2, 4, 3))))
    with pytest.raises(FileNotFoundError, match='GT mask not found'):
        LoadWSOLMask()(dict(gt_mask_path=str(tmp_path / 'none.png')))


def test_pack_wsol_inputs():
    results = _sample((40, 50), [[1, 2, 30, 20]])
    results.update(
        gt_label=3,
        img_path='/x/a.jpg',
        img_id='a.jpg',
        scale_factor=(1.0, 1.0),
        crop_bbox=np.array([0, 0, 50, 40]),
        flip=False,
        flip_direction=None,
        gt_bboxes=results['gt_bboxes'].astype(np.float64))
    packed = PackWSOLInputs()(results)
    assert packed['inputs'].shape == (3, 40, 50)
    sample = packed['data_samples']
    assert isinstance(sample, DataSample)
    assert sample.gt_label.tolist() == [3]
    for key in ('img_path', 'img_id', 'ori_shape', 'img_shape', 'gt_bboxes',
                'ori_gt_bboxes', 'scale_factor', 'crop_bbox', 'flip',
                'flip_direction'):
        assert key in sample.metainfo_keys(), key
    assert sample.gt_bboxes.dtype == np.float32
    np.testing.assert_array_equal(sample.gt_bboxes, [[1, 2, 30, 20]])
    assert sample.gt_mask.dtype == torch.uint8
    assert sample.gt_mask.shape == (40, 50)
    assert int(sample.gt_mask.sum()) == 29 * 18
    assert 'gt_mask' in sample.keys()  # a data field, not metainfo
    # No mask loaded: no gt_mask.
    del results['gt_seg_map']
    assert 'gt_mask' not in PackWSOLInputs()(results)['data_samples']


@pytest.mark.parametrize('registry', [PRETRAIN_TRANSFORMS, SEG_TRANSFORMS])
def test_transforms_registered_in_both(registry):
    for name in ('LoadWSOLMask', 'WSOLRandomCrop', 'WSOLCenterCrop',
                 'PackWSOLInputs'):
        assert registry.get(name) is not None, name


def _config_dataset(cfg_name, loader, root):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, cfg_name))
    ds_cfg = cfg[loader].dataset
    ds_cfg.data_root = root
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return DATASETS.build(ds_cfg)


def test_cub_config_test_pipeline_end_to_end(tmp_path):
    root = str(tmp_path / 'cub')
    truth = make_cub(root)
    ds = _config_dataset('cub_wsol.py', 'test_dataloader', root)
    data = ds[0]  # image 3: 240 x 160 (w x h), box 40, 20, 200, 150
    sample = data['data_samples']
    assert data['inputs'].shape == (3, 224, 224)
    assert sample.img_id == truth[3]['rel']
    assert sample.gt_label.item() == 1
    assert sample.ori_shape == (160, 240)
    np.testing.assert_array_equal(sample.ori_gt_bboxes, [[40, 20, 200, 150]])
    sx, sy = 256 / 240, 256 / 160
    np.testing.assert_allclose(
        sample.gt_bboxes,
        [[40 * sx - 16, 20 * sy - 16, 200 * sx - 16, 150 * sy - 16]],
        atol=1e-4)
    # The mask from segmentations/ arrived in the input frame.
    drawn = pixel_extent(sample.gt_mask.numpy(), threshold=0)
    assert np.abs(sample.gt_bboxes[0] - drawn).max() <= 1
    img = data['inputs'].permute(1, 2, 0).numpy()
    assert np.abs(sample.gt_bboxes[0] - pixel_extent(img[..., 0])).max() <= 1

    protocol = _config_dataset('cub_wsol_protocol.py', 'test_dataloader', root)
    sample = protocol[0]['data_samples']
    assert sample.img_shape == (224, 224) and 'crop_bbox' not in sample
    np.testing.assert_allclose(
        sample.gt_bboxes,
        [[40 * 224 / 240, 20 * 1.4, 200 * 224 / 240, 150 * 1.4]],
        atol=1e-4)


def test_cub_config_train_pipeline(tmp_path):
    root = str(tmp_path / 'cub')
    make_cub(root)
    ds = _config_dataset('cub_wsol.py', 'train_dataloader', root)
    np.random.seed(0)
    data = ds[1]
    sample = data['data_samples']
    assert data['inputs'].shape == (3, 224, 224)
    assert sample.gt_label.item() == 2 and 'gt_mask' not in sample
    img = data['inputs'].permute(1, 2, 0).numpy()
    assert np.abs(sample.gt_bboxes[0] - pixel_extent(img[..., 0])).max() <= 1


def test_stage2_mmseg_pipeline_reads_pseudo_labels(tmp_path):
    from mmseg.structures import SegDataSample
    root = str(tmp_path / 'cub')
    make_cub(root)
    labels = str(tmp_path / 'pseudo')
    for img, cls, shape in [(1, 1, (150, 200)), (2, 3, (240, 180))]:
        label = np.full(shape, 255, np.uint8)
        label[:10] = 0
        label[-10:] = 1
        write_png(
            osp.join(labels,
                     cub_rel_path(img, cls)[:-4] + '.png'), label)
    write_pseudo_label_meta(labels, {}, [cub_rel_path(1, 1),
                                         cub_rel_path(2, 3)], complete=True)
    cfg = Config.fromfile(
        osp.join(CONFIG_DIR, '..', '..', 'spol', 'mffnet2_r50_32e_cub.py'))
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.update(data_root=root, seg_map_root=labels)
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = DATASETS.build(ds_cfg)
        np.random.seed(0)
        data = ds[0]
    sample = data['data_samples']
    assert isinstance(sample, SegDataSample)
    assert data['inputs'].shape == (3, 224, 224)
    seg = sample.gt_sem_seg.data
    assert seg.shape == (1, 224, 224)
    assert set(seg.unique().tolist()) <= {0, 1, 255}
