"""`make demo`'s script runs the whole SPOL pipeline (tiny settings)."""
import json
import os
import os.path as osp
import subprocess

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
    table = (work / 'results' / 'table.md').read_text()
    assert table.count('\n') == 5 and 'SPOL' in table
    assert table in proc.stdout

    # A second run finds every result and redoes nothing.
    again = subprocess.run(['bash', 'tools/spol_demo.sh'], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0
    assert '==== training' not in again.stdout
    assert '==== evaluating' not in again.stdout
