"""Stage 2 reads images with LoadWSOLImage as stage 1 does: odd but valid
images (CMYK JPEG, 16-bit PNG) train, a truncated one is named."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.registry import DefaultScope
from mmseg.registry import DATASETS
from PIL import Image

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.datasets.transforms.loading import BadImageError
from spol_mm.pseudo_label import write_label_png, write_pseudo_label_meta
from tests.helpers import build_in_scope

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture
def stage2_set(tmp_path):
    """A tiny CUB folder whose first images are CMYK / 16-bit, with labels."""
    data = str(tmp_path / 'data')
    write_synthetic_wsol(data, classes=2, train=4, test=2, size=32, seed=0)
    with open(osp.join(data, 'images.txt')) as f:
        ids = [line.split()[1] for line in f][:4]  # the training images
    cmyk = np.zeros((32, 32, 4), np.uint8)
    cmyk[:, :16] = (0, 255, 255, 0)
    Image.fromarray(cmyk, 'CMYK').save(
        osp.join(data, 'images', ids[0]), format='JPEG', quality=95)
    ok, png16 = cv2.imencode('.png', np.full((32, 32, 3), 40000, np.uint16))
    assert ok
    with open(osp.join(data, 'images', ids[1]), 'wb') as f:
        # PNG bytes under a .jpg name: decoded by content, as OpenCV does.
        f.write(png16.tobytes())
    labels = str(tmp_path / 'labels')
    label = np.zeros((32, 32), np.uint8)
    label[8:24, 8:24] = 1
    label[4:8] = 255
    for img_id in ids:
        write_label_png(
            osp.join(labels, osp.splitext(img_id)[0] + '.png'), label)
    write_pseudo_label_meta(labels, {}, ids, complete=True)
    return data, labels, ids


def _dataset(data, labels):
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'spol', 'mffnet2_r50_32e_cub.py'))
    dataset = dict(cfg.train_dataloader.dataset)
    dataset.update(data_root=data, seg_map_root=labels)
    assert dataset['pipeline'][0]['type'] == 'LoadWSOLImage'
    with DefaultScope.overwrite_default_scope('mmseg'):
        return DATASETS.build(dataset)


def test_stage2_trains_on_cmyk_and_16bit_images(stage2_set):
    data, labels, _ = stage2_set
    dataset = _dataset(data, labels)
    batch = pseudo_collate([dataset[0], dataset[1]])
    assert [tuple(x.shape) for x in batch['inputs']] == [(3, 224, 224)] * 2
    tiny = Config.fromfile(
        osp.join(ROOT, 'tests', 'data', 'configs', 'tiny_seg.py'))
    model = build_in_scope(tiny.model, 'mmseg')
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    with DefaultScope.overwrite_default_scope('mmseg'):
        losses = model.train_step(batch, optim)
    assert all(torch.isfinite(v).all() for v in losses.values())


def test_stage2_names_a_truncated_image(stage2_set):
    data, labels, ids = stage2_set
    path = osp.join(data, 'images', ids[2])
    with open(path, 'rb') as f:
        head = f.read()
    with open(path, 'wb') as f:
        f.write(head[:len(head) // 2])
    dataset = _dataset(data, labels)
    with pytest.raises(BadImageError, match=ids[2].split('/')[-1]):
        dataset[2]
