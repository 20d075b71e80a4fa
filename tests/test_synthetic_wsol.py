import hashlib
import os.path as osp

import cv2
import numpy as np
import pytest

from spol_mm.datasets import CUB200WSOLDataset
from spol_mm.datasets.synthetic import (PART_FRACTION, class_colour,
                                        render_sample, write_synthetic_wsol)


def _digest(root):
    h = hashlib.sha256()
    for name in ('images.txt', 'bounding_boxes.txt', 'train_test_split.txt'):
        with open(osp.join(root, name), 'rb') as f:
            h.update(f.read())
    with open(osp.join(root, 'images', '002.class_01',
                       'sample_00002.jpg'), 'rb') as f:
        h.update(f.read())
    return h.hexdigest()


def test_deterministic_and_rerun_rules(tmp_path):
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    write_synthetic_wsol(a, classes=3, train=6, test=3, size=64, seed=1)
    write_synthetic_wsol(b, classes=3, train=6, test=3, size=64, seed=1)
    assert _digest(a) == _digest(b)
    write_synthetic_wsol(a, classes=3, train=6, test=3, size=64, seed=1)
    with pytest.raises(ValueError, match='synthetic_meta.json'):
        write_synthetic_wsol(a, classes=3, train=6, test=3, size=64, seed=2)


def test_layout_loads_and_boxes_are_tight(tmp_path):
    root = str(tmp_path / 'syn')
    write_synthetic_wsol(root, classes=4, train=8, test=4, size=64, seed=0)
    train = CUB200WSOLDataset(data_root=root, split='train')
    test = CUB200WSOLDataset(data_root=root, split='test')
    assert len(train) == 8 and len(test) == 4
    assert sorted({train.get_data_info(i)['gt_label']
                   for i in range(8)}) == [0, 1, 2, 3]
    for i in range(len(test)):
        info = test.get_data_info(i)
        mask = cv2.imread(info['gt_mask_path'], cv2.IMREAD_GRAYSCALE) > 127
        ys, xs = np.nonzero(mask)
        tight = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        np.testing.assert_allclose(info['gt_bboxes'][0], tight)


def test_part_decides_the_class_and_body_does_not():
    rng = np.random.default_rng(0)
    size, k = 96, 4
    body_means = {c: [] for c in range(k)}
    for i in range(80):
        label = i % k
        img, mask, box = render_sample(rng, size, label, k)
        part = np.all(img == class_colour(label, k), axis=-1) & mask
        share = part.sum() / mask.sum()
        # The part keeps its exact class colour (a few pixels may be hidden
        # under nothing: it is drawn last).
        assert PART_FRACTION[0] - 0.01 <= share <= PART_FRACTION[1] + 0.01
        extent = max(box[2] - box[0], box[3] - box[1]) / size
        assert 0.15 <= extent <= 0.8
        body_means[label].append(img[mask & ~part].mean(axis=0))
    # The body's mean colour does not depend on the class: per-class means
    # differ by less than their spread within a class.
    means = np.array([np.mean(v, axis=0) for v in body_means.values()])
    spread = np.mean([np.std(v, axis=0) for v in body_means.values()])
    assert np.abs(means - means.mean(axis=0)).max() < spread
