"""`make demo`'s script runs the whole SPOL pipeline (tiny settings)."""
import json
import os
import os.path as osp
import subprocess

import cv2
import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.mark.slow
def test_demo_runs_every_stage(tmp_path):
    env = dict(os.environ, DATA=str(tmp_path / 'data'),
               WORK=str(tmp_path / 'work'), TRAIN='16', TEST='8',
               EPOCHS1='1', EPOCHS2='1', BATCH='8', WORKERS='0')
    proc = subprocess.run(['bash', 'tools/spol_demo.sh'], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    work = tmp_path / 'work'
    labels = work / 'mffnet1_r18_synthetic' / 'pseudo_labels'
    assert json.loads((labels / 'gppl_meta.json').read_text())['complete']
    assert len(list(labels.rglob('*.png'))) == 16
    for row in ('cam', 'mffnet1', 'spol'):
        metrics = json.loads((work / 'results' / f'{row}.json').read_text())
        assert 'wsol/GT-known Loc' in metrics
        assert 'accuracy/top1' in metrics
        protocol = json.loads(
            (work / 'results' / f'{row}_protocol.json').read_text())
        assert 'wsol/MaxBoxAccV2' in protocol
    table = (work / 'results' / 'table.md').read_text()
    assert table.count('\n') == 5 and 'SPOL' in table
    assert 'MaxBoxAccV2' in table.splitlines()[0]
    assert table in proc.stdout
    # The picture grid: a title bar and one row per test image (8 here).
    picture = cv2.imread(str(work / 'results' / 'pictures.png'))
    assert picture is not None and picture.shape[0] > 8 * 128

    # A second run finds every result and redoes nothing.
    again = subprocess.run(['bash', 'tools/spol_demo.sh'], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0
    assert '==== training' not in again.stdout
    assert '==== evaluating' not in again.stdout
