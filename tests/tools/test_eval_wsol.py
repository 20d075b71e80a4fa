"""tools/eval_wsol.py (and the package function it runs,
``spol_mm.evaluation.saved_maps.evaluate_saved_maps``) on a tiny metadata +
score-map folder."""
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from spol_mm.evaluation.saved_maps import EvalError, evaluate_saved_maps

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'eval_wsol.py')


def _maps():
    a = np.zeros((224, 224), np.float32)
    a[20:100, 20:100] = 0.5
    a[40:60, 40:60] = 1.0  # right for t >= 0.50
    b = np.zeros((224, 224), np.float64)
    b[10:151, 10:151] = 0.62
    b[70:81, 70:81] = 1.0  # right for t <= 0.61
    ring = np.zeros((224, 224), np.float32)
    ring[20:80, 20:80] = 1.0
    ring[30:70, 30:70] = 0.0  # only the hole's contour matches the GT
    return {'cls0/a.jpg': a, 'cls1/b.JPEG': b, 'ring.png': ring}


def make_case(tmp_path):
    meta = tmp_path / 'meta'
    meta.mkdir()
    ids = list(_maps())
    (meta / 'image_ids.txt').write_text('\n'.join(ids) + '\n')
    (meta / 'class_labels.txt').write_text(
        ''.join(f'{i},{n}\n' for n, i in enumerate(ids)))
    # originals of 448 x 448: boxes are rescaled with int(x * 224 / 448)
    (meta / 'image_sizes.txt').write_text(
        ''.join(f'{i},448,448\n' for i in ids))
    (meta / 'localization.txt').write_text(
        'cls0/a.jpg,80,80,120,120\n'
        'cls1/b.JPEG,400,400,440,440\n'  # a second box that never matches
        'cls1/b.JPEG,20,20,302,302\n'
        'ring.png,58,58,142,142\n')
    maps = tmp_path / 'maps'
    for image_id, m in _maps().items():
        path = maps / (image_id + '.npy')
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, m)
    return str(meta), str(maps)


def args_for(meta, maps, **settings):
    return dict(scoremaps=maps, metadata=meta, workers=1, **settings)


def run_tool(*argv):
    return subprocess.run([sys.executable, TOOL, *argv],
                          capture_output=True, text=True, cwd=ROOT)


def test_end_to_end(tmp_path):
    meta, maps = make_case(tmp_path)
    out = tmp_path / 'res' / 'wsol.json'
    proc = run_tool('--scoremaps', maps, '--metadata', meta, '--out',
                    str(out), '--workers', '1', '--multi-contour')
    assert proc.returncode == 0, proc.stderr
    saved = json.loads(out.read_text())
    assert saved == evaluate_saved_maps(
        **args_for(meta, maps, multi_contour=True))
    assert saved['num_images'] == 3
    # largest contour: the ring misses (IoU 0.497): 2 / 3 at best
    assert saved['MaxBoxAcc'] == pytest.approx(200 / 3)
    assert saved['MaxBoxAccV2'] == 100.0
    for iou in (30, 50, 70):
        assert saved[f'MaxBoxAcc@{iou}'] == 100.0
        assert saved[f'best_threshold@{iou}'] == pytest.approx(0.5)
    assert 'MaxBoxAccV2' in proc.stdout

    single = evaluate_saved_maps(**args_for(meta, maps, iou=(50, 70)))
    assert set(single) == {'MaxBoxAcc', 'MaxBoxAcc@50', 'MaxBoxAcc@70',
                           'best_threshold@50', 'best_threshold@70',
                           'num_images'}
    assert single['MaxBoxAcc@70'] == pytest.approx(200 / 3)


def test_skip_largest_contour(tmp_path):
    meta, maps = make_case(tmp_path)
    out = tmp_path / 'v2.json'
    proc = run_tool('--scoremaps', maps, '--metadata', meta, '--out',
                    str(out), '--workers', '1', '--multi-contour',
                    '--skip-largest-contour', '--no-progress')
    assert proc.returncode == 0, proc.stderr
    expected = evaluate_saved_maps(**args_for(meta, maps, multi_contour=True))
    del expected['MaxBoxAcc']
    assert json.loads(out.read_text()) == expected
    proc = run_tool('--scoremaps', maps, '--metadata', meta, '--out',
                    str(out), '--skip-largest-contour')
    assert proc.returncode == 2
    assert '--skip-largest-contour needs --multi-contour' in proc.stderr


def test_workers_give_the_same_numbers(tmp_path):
    meta, maps = make_case(tmp_path)
    base = args_for(meta, maps, multi_contour=True)
    parallel = dict(base, workers=2)
    assert evaluate_saved_maps(**parallel) == evaluate_saved_maps(**base)


def test_pxap_with_masks(tmp_path):
    meta = tmp_path / 'meta'
    meta.mkdir()
    (meta / 'image_ids.txt').write_text('x.jpg\n')
    (meta / 'localization.txt').write_text(
        'x.jpg,masks/x_0.png,masks/x_ignore.png\nx.jpg,masks/x_1.png,\n')
    masks = tmp_path / 'masks'
    masks.mkdir()
    first = np.zeros((100, 100), np.uint8)
    first[:, :25] = 255
    second = np.zeros((100, 100), np.uint8)
    second[:, 25:50] = 255
    ignore = np.zeros((100, 100), np.uint8)
    ignore[:, 50:] = 255  # the right half counts nowhere
    for name, m in (('x_0', first), ('x_1', second), ('x_ignore', ignore)):
        cv2.imwrite(str(masks / f'{name}.png'), m)
    score = np.zeros((224, 224), np.float32)
    score[:, :112] = 0.8  # the left half, the union of the two instances
    (tmp_path / 'maps').mkdir()
    np.save(tmp_path / 'maps' / 'x.jpg.npy', score)
    args = args_for(str(meta), str(tmp_path / 'maps'),
                    mask_root=str(tmp_path))
    # Every pixel that counts is object, and scores 0.8.
    assert evaluate_saved_maps(**args) == {
        'PxAP': pytest.approx(100.0), 'fg share@0.20': 100.,
        'fg share@0.50': 100., 'object share': 100., 'num_images': 1}
    args['mask_root'] = None
    with pytest.raises(EvalError, match='localization.txt: lists masks'):
        evaluate_saved_maps(**args)


@pytest.mark.parametrize('case, message', [
    ('missing', r'ring.png.npy: score map not found \(1 of 3'),
    ('shape', r'ring.png.npy: shape \(112, 112\), expected \(224, 224\)'),
    ('range', r'ring.png.npy: values must be in \[0, 1\]'),
    ('nan', 'ring.png.npy: contains NaN'),
    ('extra', r"extra.jpg.npy: image id 'extra.jpg' is not in .*image_ids"),
    ('not_npy', 'ring.png.npy: cannot read as .npy'),
    ('metadata', r'localization.txt line 5: malformed line'),
])
def test_bad_inputs_name_the_file(tmp_path, case, message):
    meta, maps = make_case(tmp_path)
    ring = osp.join(maps, 'ring.png.npy')
    if case == 'missing':
        os_remove(ring)
    elif case == 'shape':
        np.save(ring, np.zeros((112, 112), np.float32))
    elif case == 'range':
        np.save(ring, np.full((224, 224), 1.5, np.float32))
    elif case == 'nan':
        np.save(ring, np.full((224, 224), np.nan, np.float32))
    elif case == 'extra':
        np.save(osp.join(maps, 'extra.jpg.npy'), np.zeros((224, 224)))
    elif case == 'not_npy':
        with open(ring, 'w') as f:
            f.write('not an array')
    else:
        with open(osp.join(meta, 'localization.txt'), 'a') as f:
            f.write('ring.png,1,2,3\n')
    with pytest.raises((EvalError, ValueError), match=message):
        evaluate_saved_maps(**args_for(meta, maps))


def os_remove(path):
    import os
    os.remove(path)


def test_cli_exit_message(tmp_path):
    meta, maps = make_case(tmp_path)
    np.save(osp.join(maps, 'ring.png.npy'), np.full((224, 224), np.nan))
    proc = run_tool('--scoremaps', maps, '--metadata', meta, '--out',
                    str(tmp_path / 'o.json'), '--workers', '1')
    assert proc.returncode == 1
    assert 'eval_wsol: error:' in proc.stderr
    assert not (tmp_path / 'o.json').exists()
    assert 'ring.png.npy: contains NaN' in proc.stderr
