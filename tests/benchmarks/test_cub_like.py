"""The CUB-like generated benchmark: determinism, disjoint splits, where
the class evidence lies, and the measured properties' checks."""
import numpy as np
import pytest

from spol_mm.benchmarks.cub_like import (FAMILY_SIZE, MAX_CUB_LIKE_CLASSES,
                                         class_dir_name, render_cub_like,
                                         species_look)
from spol_mm.benchmarks.properties import (measure_properties,
                                           property_checks,
                                           region_statistics)
from spol_mm.benchmarks.synthetic import sample_rng, write_synthetic_wsol
from spol_mm.datasets import CUB200WSOLDataset
from .test_synthetic import _all_files as _files

SMALL = dict(classes=6, train=18, test=6, size=64, seed=5,
             benchmark='cub_like')


def test_deterministic_per_seed(tmp_path):
    a, b, c = (str(tmp_path / k) for k in 'abc')
    write_synthetic_wsol(a, **SMALL)
    write_synthetic_wsol(b, **SMALL)
    write_synthetic_wsol(c, **dict(SMALL, seed=6))
    files_a = _files(a)
    assert files_a == _files(b)
    jpgs = [k for k in files_a if k.endswith('.jpg')]
    assert len(jpgs) == 24
    other = _files(c)
    assert all(files_a[k] != other[k] for k in jpgs)
    assert any('family2_species3' in k for k in jpgs)


def test_splits_disjoint(tmp_path):
    root = str(tmp_path / 'd')
    write_synthetic_wsol(root, **SMALL)
    ids = {}
    for split in ('train', 'val', 'test'):
        ds = CUB200WSOLDataset(
            data_root=root, split=split, val_fraction=0.2, pipeline=[],
            test_mode=split != 'train')
        ids[split] = {ds.get_data_info(i)['img_id'] for i in range(len(ds))}
    assert ids['train'] and ids['val'] and ids['test']
    assert not ids['train'] & ids['val']
    assert not ids['train'] & ids['test']
    assert not ids['val'] & ids['test']
    assert len(ids['train'] | ids['val']) == 18 and len(ids['test']) == 6


def test_species_cues():
    """Siblings share the family's body; every head hue is unique."""
    looks = [species_look(k, 12) for k in range(12)]
    heads = sorted(look.head_hue for look in looks)
    assert min(np.diff(heads + [heads[0] + 1])) > 0.05
    for family in range(12 // FAMILY_SIZE):
        sib = looks[family * FAMILY_SIZE:(family + 1) * FAMILY_SIZE]
        assert len({s.body_sat for s in sib}) == 1
        assert len({s.tail_length for s in sib}) == 1
        assert max(s.body_hue for s in sib) - min(
            s.body_hue for s in sib) <= 0.051
        assert len({s.wing_pattern for s in sib}) == FAMILY_SIZE
    assert class_dir_name(4, 12) == '005.family2_species2'
    with pytest.raises(ValueError, match='num_classes'):
        species_look(0, MAX_CUB_LIKE_CLASSES + 1)


def test_class_evidence_beyond_the_head():
    """Unlike the part-only stress test, two classes drawn from the same
    stream differ off the head too (body tint, wing), and most on the
    head."""
    a = render_cub_like(sample_rng(0, 'train', 7), 96, 0, 12, True)
    b = render_cub_like(sample_rng(0, 'train', 7), 96, 3, 12, True)
    img_a, mask_a, _, head_a = a
    img_b = b[0]
    diff = np.abs(img_a.astype(int) - img_b.astype(int)).sum(-1)
    # another family: the body's colour differs on most of the bird
    body = mask_a & ~head_a & b[1] & ~b[3]
    assert (diff[body] > 30).mean() > 0.5


def test_geometry_matches_cub():
    """Box area / image area averages about CUB's 34 %, and every bird
    lies inside the image with its head on it."""
    areas = []
    for j in range(120):
        img, mask, box, head = render_cub_like(
            sample_rng(1, 'test', j), 64, j % 12, 12, True)
        x0, y0, x1, y1 = box
        assert 0 <= x0 < x1 <= 64 and 0 <= y0 < y1 <= 64
        assert head.any() and not (head & ~mask).any()
        areas.append((x1 - x0) * (y1 - y0) / 64**2)
    assert 0.28 <= np.mean(areas) <= 0.42
    assert np.percentile(areas, 95) - np.percentile(areas, 5) > 0.25


def test_region_statistics():
    img = np.zeros((32, 32, 3), np.uint8)
    img[8:24, 8:24] = (0, 0, 255)  # saturated red square on black
    mask = np.zeros((32, 32), bool)
    mask[8:24, 8:24] = True
    stats = region_statistics(img, mask)
    assert stats['object_saturation'] == pytest.approx(1.0)
    assert stats['background_saturation'] == pytest.approx(0.0)
    assert stats['object_fine_texture'] == pytest.approx(0.0)


def test_property_checks_fail_when_targets_miss():
    good = dict(box_area_mean=0.34, box_area_p5=0.15, box_area_p95=0.57,
                box_centre_std=0.12, object_saturation=0.5,
                background_saturation=0.2, object_fine_texture=10,
                background_fine_texture=18, chance=0.1,
                oracle_part_alone=0.99, oracle_rest_alone=0.7,
                rest_errors_within_family=0.9)
    assert all(ok for _, _, ok in property_checks(good))
    for change in (dict(box_area_mean=0.2), dict(oracle_rest_alone=0.2),
                   dict(oracle_part_alone=0.6), dict(box_centre_std=0.01),
                   dict(rest_errors_within_family=0.2),
                   dict(background_fine_texture=5)):
        checks = property_checks(dict(good, **change))
        assert sum(not ok for _, _, ok in checks) == 1, change


def test_measure_properties_small():
    """The oracles run and give accuracies; part-only stress test: the rest
    of the object says nothing about the class."""
    props = measure_properties(2, 40, 20, 40, 0, 'part_stress',
                               oracle_epochs=8)
    assert set(props) >= {'box_area_mean', 'oracle_part_alone',
                          'oracle_rest_alone', 'chance'}
    assert props['oracle_part_alone'] >= 0.9
    assert props['oracle_rest_alone'] <= 0.8
