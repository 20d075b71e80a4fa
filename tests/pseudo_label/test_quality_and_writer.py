"""Pseudo-label quality counts and the threaded label writer."""
import cv2
import numpy as np
import pytest

from spol_mm.pseudo_label import label_path, write_label_pngs
from spol_mm.pseudo_label.quality import label_counts, label_quality


def test_label_counts_by_hand():
    label = np.array([[1, 1, 255, 0],
                      [1, 0, 255, 0]], dtype=np.uint8)
    gt = np.array([[1, 1, 1, 0],
                   [0, 1, 0, 0]], dtype=np.uint8) * 255
    counts = label_counts(label, gt)
    # fg on / off object, bg on / off object, object pixels
    assert counts.tolist() == [2, 1, 1, 2, 4]
    q = label_quality(counts)
    assert q['fg_precision'] == pytest.approx(200 / 3)
    assert q['fg_recall'] == pytest.approx(50)
    assert q['bg_precision'] == pytest.approx(200 / 3)
    assert q['labelled'] == pytest.approx(75)


def test_label_counts_rejects_other_shapes():
    with pytest.raises(ValueError, match='differs'):
        label_counts(np.zeros((2, 3), np.uint8), np.zeros((3, 2), np.uint8))


def test_label_quality_of_nothing_is_zero_not_nan():
    assert label_quality(np.zeros(5, np.int64)) == dict(
        fg_precision=0., fg_recall=0., bg_precision=0., labelled=0.)


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
