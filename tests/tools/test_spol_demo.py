"""`make demo`'s script runs the whole SPOL pipeline (tiny settings)."""
import json
import os
import os.path as osp
import subprocess

import cv2
import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from tests.helpers import table_cells

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def snapshot(folder: str) -> dict:
    """Every file under ``folder`` with its size and modification time."""
    out = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            st = os.stat(osp.join(dirpath, name))
            out[osp.relpath(osp.join(dirpath, name), folder)] = (
                st.st_size, st.st_mtime_ns)
    return out


def run_demo(env):
    return subprocess.run(['bash', 'tools/spol_demo.sh'], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_demo_on_a_cub_layout_folder(tmp_path):
    """DATA=<a CUB-layout folder>: every stage and reference row runs,
    nothing is written into DATA, and a second run redoes nothing."""
    data = str(tmp_path / 'birds')
    write_synthetic_wsol(data, classes=4, train=20, test=8, size=64, seed=3,
                         benchmark='cub_like')
    before = snapshot(data)
    env = dict(os.environ, DATA=data, WORK=str(tmp_path / 'work'),
               EPOCHS_CAM='1', EPOCHS1='1', EPOCHS2='1', BATCH='8',
               WORKERS='0')
    proc = run_demo(env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert snapshot(data) == before
    assert '(4 classes)' in proc.stdout
    work = tmp_path / 'work'
    seed = work / 'seed_0'
    labels = seed / 'mffnet1' / 'pseudo_labels'
    assert json.loads((labels / 'gppl_meta.json').read_text())['complete']
    # Labels for the images stage 2 trains on: train without the val
    # hold-out (1 of the 5 training images of each class).
    assert len(list(labels.rglob('*.png'))) == 16
    gt_meta = json.loads((seed / 'gt_labels' / 'gppl_meta.json').read_text())
    assert gt_meta['complete'] and gt_meta['params']['source'] == 'gt_mask'
    results = seed / 'results'
    # The labels of every GPPL setting scored against the GT masks, in the
    # log and in a file: the config's own setting among them.
    quality = (results / 'label_quality.md').read_text()
    assert quality in proc.stdout
    names = [row[0] for row in table_cells(quality)]
    assert 'this config' in names and any(
        n.startswith('released (fg 0.25') for n in names)
    scores = json.loads((results / 'label_quality.json').read_text())
    assert scores['quality']['this config']['images'] == 16
    for row in ('trivial_box', 'cam', 'mffnet1', 'spol', 'upper'):
        for split in ('val', 'test'):
            metrics = json.loads((results / f'{row}_{split}.json').read_text())
            assert 'wsol/GT-known Loc@0.20' in metrics
            assert ('accuracy/top1' in metrics) == (row != 'trivial_box')
        protocol = json.loads(
            (results / f'{row}_protocol_test.json').read_text())
        assert 'wsol/MaxBoxAccV2' in protocol
    table = (work / 'table.md').read_text()
    lines = table.splitlines()
    assert len(lines) == 7 and table in proc.stdout  # one row per line
    rows = table_cells(table)
    assert [row[0] for row in rows[1:]] == [
        'trivial box', 'CAM baseline', 'MFF-Net1 CAM', 'SPOL',
        'upper bound (GT masks)'
    ]
    for column in ('Top-1 Loc', 'GT-known Loc', 'MaxBoxAcc', 'MaxBoxAccV2',
                   'PxAP', 'cls top-1'):
        assert column in rows[0]
    # The picture grid: a title bar and one 256 px row per image (8 here).
    picture = cv2.imread(str(results / 'pictures.png'))
    assert picture is not None and picture.shape[0] > 8 * 256

    again = run_demo(env)
    assert again.returncode == 0
    # No step but the pseudo labels' (which finds them complete) runs.
    steps = [ln for ln in again.stdout.splitlines() if ln.startswith('====')]
    assert steps == ['==== seed 0: pseudo labels ====', '==== results '
                     f'(test split of {data}; seeds 0) ===='], steps


def test_demo_refuses_a_work_dir_of_another_data_folder(tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'demo_data.txt').write_text('/somewhere/else')
    data = tmp_path / 'birds'
    data.mkdir()
    (data / 'classes.txt').write_text('1 001.A\n2 002.B\n')
    proc = run_demo(dict(os.environ, DATA=str(data), WORK=str(work)))
    assert proc.returncode == 2
    assert 'was made for DATA=/somewhere/else' in proc.stderr


def test_demo_refuses_a_folder_without_classes(tmp_path):
    proc = run_demo(dict(os.environ, DATA=str(tmp_path)))
    assert proc.returncode == 2
    assert 'classes.txt not found' in proc.stderr
