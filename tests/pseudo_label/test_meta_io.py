"""gppl_meta.json checks and atomic label writing."""
import hashlib
import json
import os

import cv2
import numpy as np
import pytest

from spol_mm.pseudo_label import (GPPLConfig, atomic_write_bytes,
                                  check_pseudo_label_meta, img_ids_checksum,
                                  label_path, write_label_png,
                                  write_pseudo_label_meta)

IDS = ['b/2.jpg', 'a/1.jpg']


def test_checksum_is_sha256_of_sorted_ids():
    expected = hashlib.sha256(b'a/1.jpg\nb/2.jpg').hexdigest()
    assert img_ids_checksum(IDS) == expected


def test_meta_roundtrip_and_subset_check(tmp_path):
    params = dict(GPPLConfig().to_dict(), size=(256, 256))
    write_pseudo_label_meta(str(tmp_path), params, IDS, True, checkpoint='c')
    meta = json.loads((tmp_path / 'gppl_meta.json').read_text())
    assert meta['complete'] is True and meta['num_images'] == 2
    assert meta['params']['size'] == [256, 256]
    assert meta['checkpoint'] == 'c'
    # Tuples equal lists; keys left out are not checked.
    check_pseudo_label_meta(
        str(tmp_path), dict(size=(256, 256)), reversed(IDS))
    check_pseudo_label_meta(str(tmp_path), {}, IDS)


def test_mismatch_names_json_key_and_fix(tmp_path):
    write_pseudo_label_meta(str(tmp_path), GPPLConfig().to_dict(), IDS, True)
    with pytest.raises(ValueError) as err:
        check_pseudo_label_meta(str(tmp_path), dict(fg_thr=0.4), IDS)
    msg = str(err.value)
    assert str(tmp_path / 'gppl_meta.json') in msg
    assert 'fg_thr: generated with 0.5, expected 0.4' in msg
    assert 'tools/generate_pseudo_labels.py CONFIG CHECKPOINT --out ' \
        f'{tmp_path}' in msg
    with pytest.raises(
            ValueError, match='generated for 2 images .* '
            'expected 1 images'):
        check_pseudo_label_meta(str(tmp_path), {}, IDS[:1])
    with pytest.raises(ValueError, match='mode: not recorded'):
        write_pseudo_label_meta(str(tmp_path), {}, IDS, True)
        check_pseudo_label_meta(str(tmp_path), dict(mode='paper'), IDS)


def test_incomplete_missing_and_broken_meta(tmp_path):
    with pytest.raises(
            FileNotFoundError,
            match='gppl_meta.json does not '
            'exist.*generate_pseudo_labels.py'):
        check_pseudo_label_meta(str(tmp_path), {}, IDS)
    write_pseudo_label_meta(str(tmp_path), {}, IDS, False)
    with pytest.raises(ValueError, match='did not finish'):
        check_pseudo_label_meta(str(tmp_path), {}, IDS)
    (tmp_path / 'gppl_meta.json').write_text('{\n "params": {,\n}')
    with pytest.raises(ValueError, match='gppl_meta.json, line 2: not valid'):
        check_pseudo_label_meta(str(tmp_path), {}, IDS)


def test_label_path(tmp_path):
    assert label_path('/x', 'a/b.JPEG') == '/x/a/b.png'
    with pytest.raises(ValueError, match='relative path'):
        label_path('/x', '../b.jpg')
    with pytest.raises(ValueError, match='relative path'):
        label_path('/x', '/abs/b.jpg')


def test_write_label_png_roundtrip(tmp_path):
    label = np.array([[0, 1], [255, 1]], np.uint8)
    path = str(tmp_path / 'a' / 'b.png')
    write_label_png(path, label)
    assert np.array_equal(cv2.imread(path, cv2.IMREAD_UNCHANGED), label)
    assert os.listdir(tmp_path / 'a') == ['b.png']
    with pytest.raises(ValueError, match='b.png: a label map must be uint8'):
        write_label_png(path, label.astype(np.int32))


def test_failed_write_leaves_neither_file_nor_temp(tmp_path, monkeypatch):
    path = tmp_path / 'x.png'

    def crash(*args):
        raise OSError('disk full')

    # The data is written, then the process "dies" before the rename.
    monkeypatch.setattr(os, 'replace', crash)
    with pytest.raises(OSError, match='disk full'):
        atomic_write_bytes(str(path), b'half')
    assert os.listdir(tmp_path) == []
    # An old file is never replaced by a partial one.
    monkeypatch.undo()
    atomic_write_bytes(str(path), b'old')
    monkeypatch.setattr(os, 'fsync', crash)
    with pytest.raises(OSError):
        atomic_write_bytes(str(path), b'new')
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['x.png']


def test_hint_names_the_tool_of_the_labels_source(tmp_path):
    gt_tool = 'gt_masks_to_labels.py CONFIG --out'
    # Expected GT-mask labels, none there.
    with pytest.raises(FileNotFoundError, match=gt_tool):
        check_pseudo_label_meta(str(tmp_path), dict(source='gt_mask'), IDS)
    # GT-mask labels found, unfinished: their own tool is named.
    write_pseudo_label_meta(str(tmp_path), dict(source='gt_mask'), IDS,
                            False)
    with pytest.raises(ValueError, match=gt_tool):
        check_pseudo_label_meta(str(tmp_path), {}, IDS)
    # Anything else: GPPL's tool.
    write_pseudo_label_meta(str(tmp_path), dict(source=['odd']), IDS, False)
    with pytest.raises(ValueError, match='generate_pseudo_labels.py'):
        check_pseudo_label_meta(str(tmp_path), {}, IDS)
