"""Pseudo-label quality counts and the threaded label writer."""
import cv2
import numpy as np
import pytest
import torch

from spol_mm.pseudo_label import label_path, write_label_pngs
from spol_mm.pseudo_label.quality import (QUALITY_NAMES, label_counts,
                                          label_quality)


def test_label_counts_by_hand():
    label = np.array([[1, 1, 255, 0],
                      [1, 0, 255, 0]], dtype=np.uint8)
    gt = np.array([[1, 1, 1, 0],
                   [0, 1, 0, 0]], dtype=np.uint8)
    counts = label_counts(label, gt)
    # fg on / off object, bg on / off object, object pixels, pixels
    assert counts.tolist() == [2, 1, 1, 2, 4, 8]
    q = label_quality(counts)
    assert q['fg_precision'] == pytest.approx(200 / 3)
    assert q['fg_recall'] == pytest.approx(50)
    assert q['bg_precision'] == pytest.approx(200 / 3)
    assert q['bg_recall'] == pytest.approx(50)  # 2 of the 4 off-object
    assert q['ignored'] == pytest.approx(25)  # the two 255s
    assert q['fg_share'] == pytest.approx(37.5)
    assert q['object_share'] == pytest.approx(50)
    assert q['labelled'] == pytest.approx(75)


def test_label_counts_of_a_stack_are_the_sum_of_its_maps():
    rng = np.random.default_rng(0)
    labels = rng.choice([0, 1, 255], size=(3, 5, 6)).astype(np.uint8)
    gts = rng.integers(0, 2, size=(3, 5, 6)).astype(np.uint8)
    assert label_counts(labels, gts).tolist() == sum(
        label_counts(lb, gt) for lb, gt in zip(labels, gts)).tolist()


def test_gt_ignore_region_counts_nowhere():
    label = np.array([[1, 0, 255, 1]], dtype=np.uint8)
    gt = np.array([[1, 0, 255, 255]], dtype=np.uint8)
    assert label_counts(label, gt).tolist() == [1, 0, 0, 1, 1, 2]


def test_label_counts_rejects_other_shapes():
    with pytest.raises(ValueError, match='differs'):
        label_counts(np.zeros((2, 3), np.uint8), np.zeros((3, 2), np.uint8))


def test_label_quality_of_nothing_is_zero_not_nan():
    q = label_quality(np.zeros(6, np.int64))
    assert list(q) == list(QUALITY_NAMES)
    assert set(q.values()) == {0.}


@pytest.mark.parametrize('threads', [0, 3])
def test_write_label_pngs_resizes_each_to_its_image(tmp_path, threads):
    rng = np.random.default_rng(0)
    labels = rng.choice([0, 1, 255], size=(5, 8, 8)).astype(np.uint8)
    ids = [f'c{i % 2}/img_{i}.jpg' for i in range(5)]
    shapes = [(8 + i, 16 - i) for i in range(5)]
    write_label_pngs(str(tmp_path), ids, labels, shapes, num_threads=threads)
    for img_id, label, (h, w) in zip(ids, labels, shapes):
        got = cv2.imread(label_path(str(tmp_path), img_id),
                         cv2.IMREAD_UNCHANGED)
        expected = cv2.resize(label, (w, h), interpolation=cv2.INTER_NEAREST)
        assert np.array_equal(got, expected)
    # no temp file left behind
    assert sorted(p.suffix for p in tmp_path.rglob('*') if p.is_file()) == \
        ['.png'] * 5


def test_write_label_pngs_checks_lengths(tmp_path):
    with pytest.raises(ValueError, match='must match'):
        write_label_pngs(str(tmp_path), ['a.jpg'], [], [(2, 2)])


def test_write_label_pngs_raises_a_thread_error(tmp_path):
    labels = np.zeros((2, 4, 4), np.float32)  # not uint8: refused
    with pytest.raises(ValueError, match='uint8'):
        write_label_pngs(str(tmp_path), ['a.jpg', 'b.jpg'], labels,
                         [(4, 4)] * 2, num_threads=2)


def test_full_disk_names_the_file_and_keeps_the_old_one(tmp_path,
                                                        monkeypatch):
    import errno
    import os

    from spol_mm.pseudo_label import atomic_write_bytes
    target = tmp_path / 'labels' / 'a.png'
    atomic_write_bytes(str(target), b'old')

    def full_disk(*args):
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(os, 'fsync', full_disk)
    with pytest.raises(OSError, match=r'cannot write .*a\.png: No space') \
            as info:
        atomic_write_bytes(str(target), b'new')
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b'old'
    assert [p.name for p in target.parent.iterdir()] == ['a.png']


def _disc(size=128, radius=20):
    yy, xx = np.mgrid[:size, :size]
    d = np.hypot(yy - size / 2 + 0.5, xx - size / 2 + 0.5)
    return d, (d <= radius).astype(np.uint8)


def _quality_of(cam, gt, **gppl):
    from spol_mm.pseudo_label import gppl_labels
    labels = gppl_labels(torch.as_tensor(cam, dtype=torch.float32)[None],
                         **gppl)[0].numpy()
    return label_quality(label_counts(labels, gt))


def test_label_quality_of_a_hand_made_cam():
    """A CAM that is exactly the object (a disc of radius r): the paper's
    Gaussian has the disc's moments, sigma = r / 2 per axis, so its values
    stay above a background threshold b out to d = sigma sqrt(2 ln(1/b)):
    1.66 r for the default b = 0.004, 1.07 r for b = 0.1. Everything in
    between the disc and that radius is ignored."""
    d, gt = _disc()
    r = 20
    for bg_thr, outer in ((0.004, 1.662), (0.1, 1.073)):
        q = _quality_of(gt.astype(np.float32), gt, bg_thr=bg_thr)
        # Foreground is exactly the disc (the Gaussian is >= 0.5 only
        # within 0.59 r), background lies off the object only.
        assert q['fg_precision'] == 100 and q['fg_recall'] == 100
        assert q['bg_precision'] == 100
        ring = ((d > r) & (d <= outer * r)).mean() * 100
        assert q['ignored'] == pytest.approx(ring, abs=0.3)
        assert q['bg_recall'] == pytest.approx(
            100 * (d > outer * r).sum() / (d > r).sum(), abs=0.5)
    # The authors' released variant (regions of the CAM band 0.1..0.5, here
    # none: the CAM is 0 or 1) and no Gaussian label the same disc alike.
    q = _quality_of(gt.astype(np.float32), gt, use_gaussian=False)
    assert q['ignored'] == 0 and q['bg_recall'] == 100


def test_label_quality_of_a_cam_on_the_head_only():
    """A CAM on the top third of the object (its "head"): the foreground
    is that third alone (the Gaussian, centred on it, is >= 0.5 only inside
    it), and the rest of the object is ignored only where the Gaussian
    reaches: a higher background threshold labels more of the image
    background, and more of the object too."""
    d, gt = _disc(radius=30)
    yy, _ = np.mgrid[:128, :128]
    cam = (gt * (yy < 64 - 10)).astype(np.float32)  # the top part
    low = _quality_of(cam, gt, bg_thr=0.004)
    high = _quality_of(cam, gt, bg_thr=0.2)
    plain = _quality_of(cam, gt, use_gaussian=False)
    third = 100 * cam.sum() / gt.sum()
    for q in (low, high, plain):
        assert q['fg_precision'] == 100
        assert q['fg_recall'] == pytest.approx(third)
    assert plain['bg_recall'] == 100 and plain['ignored'] == 0
    assert high['bg_recall'] > low['bg_recall']
    assert high['ignored'] < low['ignored']
    # The object's lower part is partly background: more so at 0.2.
    assert plain['bg_precision'] < high['bg_precision'] < low[
        'bg_precision'] < 100
