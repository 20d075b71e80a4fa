"""The generated WSOL benchmark: layout, determinism, and the WSOL property
(only the small part carries the class)."""
import colorsys
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from spol_mm.benchmarks.synthetic import (INDEX_FILES, META_FILE, MIN_SIZE,
                                          PART_FRACTION, SCALE_RANGE,
                                          class_cue, class_dir_name,
                                          render_sample, sample_rng,
                                          write_synthetic_wsol)

SMALL = dict(classes=3, train=6, test=4, size=48, seed=1)


def _all_files(root):
    """``{relative path: bytes}`` of every file under ``root``."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                files[osp.relpath(path, root)] = f.read()
    return files


def _table(root, name, fields):
    """Parse ``<id> <values...>`` lines; ids must be unique."""
    rows = {}
    with open(osp.join(root, name)) as f:
        for line in f:
            parts = line.split()
            assert len(parts) == fields, (name, line)
            assert parts[0] not in rows, (name, 'duplicate id', parts[0])
            rows[parts[0]] = parts[1:]
    return rows


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('syn') / 'data')
    write_synthetic_wsol(root, classes=4, train=10, test=6, size=64, seed=0)
    return root


def test_same_arguments_same_bytes(tmp_path):
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    write_synthetic_wsol(a, **SMALL)
    write_synthetic_wsol(b, **SMALL)
    files_a, files_b = _all_files(a), _all_files(b)
    # 10 images + 10 masks + 5 index files + meta, no temp files left.
    assert len(files_a) == 26
    assert files_a == files_b
    write_synthetic_wsol(str(tmp_path / 'c'), **dict(SMALL, seed=2))
    other = _all_files(str(tmp_path / 'c'))
    jpgs = [k for k in files_a if k.endswith('.jpg')]
    assert all(files_a[k] != other[k] for k in jpgs)


def test_test_images_do_not_depend_on_train_count(tmp_path):
    """Each image has its own stream: changing --train keeps the test set."""
    roots = []
    for train in (3, 6):
        root = str(tmp_path / f'train{train}')
        write_synthetic_wsol(root, **dict(SMALL, train=train))
        roots.append(root)

    def test_images(root):
        split = _table(root, 'train_test_split.txt', 2)
        images = _table(root, 'images.txt', 2)
        out = []
        for img_id in sorted(split, key=int):
            if split[img_id] == ['0']:
                with open(osp.join(root, 'images', images[img_id][0]),
                          'rb') as f:
                    out.append(f.read())
        return out

    first, second = test_images(roots[0]), test_images(roots[1])
    assert len(first) == SMALL['test'] and first == second


def test_index_files_are_consistent_cub_files(dataset):
    images = _table(dataset, 'images.txt', 2)
    labels = _table(dataset, 'image_class_labels.txt', 2)
    split = _table(dataset, 'train_test_split.txt', 2)
    boxes = _table(dataset, 'bounding_boxes.txt', 5)
    classes = _table(dataset, 'classes.txt', 2)
    ids = [str(i) for i in range(1, 17)]
    assert sorted(images, key=int) == ids
    assert set(labels) == set(split) == set(boxes) == set(ids)
    assert sorted(classes, key=int) == ['1', '2', '3', '4']
    # Train images first (ids 1..10), then test; classes cycle per split.
    assert [split[i][0] for i in ids] == ['1'] * 10 + ['0'] * 6
    expected_labels = [j % 4 + 1 for j in range(10)] + \
        [j % 4 + 1 for j in range(6)]
    assert [int(labels[i][0]) for i in ids] == expected_labels
    assert classes['3'] == ['003.hue180_solid']  # hue 2/4 of the circle

    for img_id in ids:
        rel = images[img_id][0]
        class_dir, name = rel.split('/')
        assert class_dir == classes[labels[img_id][0]][0]
        assert name == f'sample_{int(img_id):05d}.jpg'
        img = cv2.imread(osp.join(dataset, 'images', rel), cv2.IMREAD_COLOR)
        mask = cv2.imread(
            osp.join(dataset, 'segmentations', rel[:-4] + '.png'),
            cv2.IMREAD_UNCHANGED)
        assert img.shape == (64, 64, 3)
        assert mask.shape == (64, 64) and mask.dtype == np.uint8
        assert set(np.unique(mask)) == {0, 255}
        ys, xs = np.nonzero(mask)
        x, y, w, h = map(float, boxes[img_id])
        # CUB convention: x + width is one past the last object column.
        np.testing.assert_allclose(
            [x, y, x + w, y + h],
            [xs.min(), ys.min(),
             xs.max() + 1, ys.max() + 1],
            atol=1)
        longer = max(w, h) / 64
        assert SCALE_RANGE[0] - 1 / 64 <= longer <= SCALE_RANGE[1] + 1 / 64


def test_cub_loader_reads_it(dataset):
    from spol_mm.datasets import CUB200WSOLDataset
    train = CUB200WSOLDataset(data_root=dataset, split='train')
    test = CUB200WSOLDataset(data_root=dataset, split='test')
    assert len(train) == 10 and len(test) == 6
    assert train.metainfo['classes'][2] == 'hue180_solid'
    info = test.get_data_info(0)
    assert info['gt_label'] == 0  # test image 0 of the split: class 0
    mask = cv2.imread(info['gt_mask_path'], cv2.IMREAD_GRAYSCALE) > 127
    ys, xs = np.nonzero(mask)
    np.testing.assert_allclose(
        info['gt_bboxes'][0],
        [xs.min(), ys.min(), xs.max() + 1,
         ys.max() + 1])


def test_object_geometry():
    """Part on the body's border, 10-20 % of the object; object 20-70 % of
    the image side and fully inside."""
    size = 96
    for i in range(40):
        img, mask, box, part = render_sample(
            sample_rng(3, 'train', i), size, i % 5, 5, return_part=True)
        assert img.shape == (size, size, 3) and img.dtype == np.uint8
        share = part.sum() / mask.sum()
        assert PART_FRACTION[0] <= share <= PART_FRACTION[1]
        body = mask & ~part
        assert (part & ~body).any() and body.any()
        # The part touches the visible body (it sits on the border).
        grown = cv2.dilate(part.astype(np.uint8), np.ones((3, 3), np.uint8))
        assert (grown.astype(bool) & body).any()
        x0, y0, x1, y1 = box
        ys, xs = np.nonzero(mask)
        assert (x0, y0, x1, y1) == (xs.min(), ys.min(), xs.max() + 1,
                                    ys.max() + 1)
        longer = max(x1 - x0, y1 - y0)
        assert SCALE_RANGE[0] * size - 1 <= longer <= \
            SCALE_RANGE[1] * size + 1


def test_label_changes_only_the_part():
    """Same random state, two classes: identical outside the part."""
    a, mask_a, _, part_a = render_sample(
        sample_rng(5, 'test', 7), 64, 1, 8, return_part=True)
    b, mask_b, _, part_b = render_sample(
        sample_rng(5, 'test', 7), 64, 6, 8, return_part=True)
    assert (mask_a == mask_b).all() and (part_a == part_b).all()
    assert (a[~part_a] == b[~part_a]).all()
    # Inside the part they differ: orange (hue 45 deg) vs violet (270).
    diff = np.abs(a[part_a].astype(int) - b[part_a].astype(int)).sum(-1)
    assert (diff > 100).mean() > 0.95


def _hue_of(bgr_pixels):
    b, g, r = bgr_pixels.astype(float).mean(0) / 255
    return colorsys.rgb_to_hsv(r, g, b)


def test_class_is_only_in_the_part():
    """A trivial check of the WSOL property on 4 x 40 samples.

    Body: per-class mean body colour vs the mean over all classes. If the
    body does not depend on the class, a class mean of n = 40 samples
    deviates from the overall mean by a standard deviation below
    sigma / sqrt(n), sigma (~ 43 grey levels here) the spread of one
    sample's mean body colour; 4 sigma / sqrt(n) (~ 27 levels) then fails
    by chance with p < 1e-4 per comparison (12 comparisons); the clean
    generator stays below 12 levels. Mixing 20 % of the class colour into
    the body moves a class mean by up to ~ 34 levels: this test fails.
    Part: the mean part hue is always nearest to its class's hue.
    """
    k, n, size = 4, 40, 48
    body_means = np.zeros((k, n, 3))
    for c in range(k):
        for j in range(n):
            img, mask, _, part = render_sample(
                sample_rng(11, 'train', j * k + c),
                size,
                c,
                k,
                return_part=True)
            body_means[c, j] = img[mask & ~part].mean(0)
            hue, sat, _ = _hue_of(img[part])
            class_hues = np.array([class_cue(m, k)[0] for m in range(k)])
            dist = np.abs((class_hues - hue + 0.5) % 1 - 0.5)
            assert dist.argmin() == c and sat > 0.7
    sigma = body_means.reshape(-1, 3).std(0)
    deviation = np.abs(body_means.mean(1) - body_means.mean((0, 1)))
    assert (deviation < 4 * sigma / np.sqrt(n)).all(), (deviation, sigma)


def test_nothing_outside_the_object_looks_like_a_part():
    """Bright saturated pixels (every part pixel is one) are the class cue;
    background and distractors are paler, so (almost) none outside."""
    outside = cue_like = 0
    for i in range(30):
        img, mask, _, part = render_sample(
            sample_rng(2, 'train', i), 64, i % 8, 8, return_part=True)
        hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV).astype(float) / 255
        bright_saturated = (hsv[..., 1] >= 0.8) & (hsv[..., 2] >= 0.6)
        assert bright_saturated[part].mean() > 0.99
        cue_like += (bright_saturated & ~mask).sum()
        outside += (~mask).sum()
    assert cue_like / outside < 1e-4


def test_patterns_tell_apart_classes_sharing_a_hue():
    assert class_cue(0, 36) == (0.0, 'solid')
    assert class_cue(14, 36) == (2 / 12, 'stripes')
    assert class_cue(35, 36) == (11 / 12, 'checker')
    assert class_dir_name(14, 36) == '015.hue060_stripes'
    img, _, _, part = render_sample(
        sample_rng(0, 'train', 0), 64, 14, 36, return_part=True)
    value = img[part].max(-1)
    # Stripes: dark (0.35 x) and bright pixels, both plentiful.
    assert (value < 120).mean() > 0.2 and (value > 180).mean() > 0.2
    with pytest.raises(ValueError, match='num_classes'):
        class_cue(0, 37)


def test_rerun_is_a_no_op_and_other_args_are_refused(tmp_path):
    root = str(tmp_path / 'data')
    assert write_synthetic_wsol(root, **SMALL)['written']
    stamps = {
        k: os.stat(osp.join(root, k)).st_mtime_ns
        for k in _all_files(root)
    }
    again = write_synthetic_wsol(root, **SMALL)
    assert not again['written'] and again['complete']
    assert stamps == {
        k: os.stat(osp.join(root, k)).st_mtime_ns
        for k in _all_files(root)
    }
    with pytest.raises(ValueError, match=META_FILE):
        write_synthetic_wsol(root, **dict(SMALL, seed=2))
    # A folder this generator did not make is never written into.
    with pytest.raises(FileExistsError, match='not empty'):
        write_synthetic_wsol(osp.join(root, 'images'), **SMALL)


def test_interrupted_run_does_not_look_complete_and_is_redone(tmp_path):
    root = str(tmp_path / 'data')
    write_synthetic_wsol(root, **SMALL)
    complete = _all_files(root)
    # As if killed before the index files: meta says incomplete.
    meta = json.loads(complete[META_FILE])
    meta['complete'] = False
    with open(osp.join(root, META_FILE), 'w') as f:
        json.dump(meta, f, indent=1)
    os.remove(osp.join(root, 'images.txt'))
    assert write_synthetic_wsol(root, **SMALL)['written']
    assert _all_files(root) == complete
    assert set(INDEX_FILES) <= set(complete)


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(ValueError, match='classes must be in 1..36'):
        write_synthetic_wsol(str(tmp_path / 'x'), **dict(SMALL, classes=0))
    with pytest.raises(ValueError, match=f'size must be >= {MIN_SIZE}'):
        write_synthetic_wsol(str(tmp_path / 'x'), **dict(SMALL, size=16))
    with pytest.raises(ValueError, match='at least one image'):
        write_synthetic_wsol(
            str(tmp_path / 'x'), **dict(SMALL, train=0, test=0))
    assert not osp.exists(tmp_path / 'x')


def test_old_module_name_re_exports_the_generator():
    from spol_mm.benchmarks import synthetic
    from spol_mm.datasets import synthetic as old
    assert old.write_synthetic_wsol is write_synthetic_wsol
    assert {name: getattr(old, name) for name in old.__all__} == {
        name: getattr(synthetic, name) for name in synthetic.__all__}
