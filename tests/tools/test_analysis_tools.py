"""bench_spol and spol_table from the command line, and the score maps of
cam_part_coverage (the tables and shares: tests/benchmarks/)."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_bench_spol_runs_and_checks_equality(tmp_path):
    out = tmp_path / 'bench'
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/bench_spol.py', '--only',
        'gppl', 'gppl_e2e', 'eval', '--repeat', '1', '--gppl-maps', '4',
        '--gppl-size', '64', '--eval-maps', '3', '--no-memory', '--out-dir',
        str(out)
    ], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads((out / 'bench_spol.json').read_text())['rows']
    assert len(rows) == 10
    checks = [r['check'] for r in rows if 'check' in r]
    assert checks == [
        '0 of 16384 labels differ', 'PNGs equal', 'IoUs equal', 'IoUs equal'
    ]
    assert all(r['rate'] > 0 for r in rows)
    table = (out / 'bench_spol.md').read_text()
    assert table.count('| MaxBoxAccV2 best IoUs') == 3
    assert table.splitlines()[-1] in proc.stdout


def test_spol_table_merges_files_of_a_row(tmp_path):
    paper, protocol = tmp_path / 'p.json', tmp_path / 'q.json'
    paper.write_text(json.dumps({'wsol/GT-known Loc': 50.0}))
    protocol.write_text(
        json.dumps({'wsol/GT-known Loc': 1.0, 'wsol/MaxBoxAccV2': 40.0}))
    out = tmp_path / 'table.md'
    proc = subprocess.run([
        sys.executable, 'tools/spol_table.py', f'{paper},{protocol}',
        '--names', 'row', '--out',
        str(out)
    ], cwd=ROOT, capture_output=True, text=True, check=True)
    assert '| row | 50.00 | 40.00 |' in proc.stdout
    assert out.read_text() == proc.stdout


def test_ablation_imports_its_table_from_the_package():
    """No tool reaches another through sys.path: the ablation's --help runs
    from any folder."""
    proc = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools', 'ablation.py'), '--help'],
        cwd=osp.dirname(ROOT), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '--groups' in proc.stdout


def test_network_score_map_of_cam_and_segmentor():
    from mmengine.model import ImgDataPreprocessor

    from spol_mm.utils.score_maps import network_score_map

    class Net(torch.nn.Module):

        def __init__(self, channels):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, channels, 1)
            self.channels = channels
            self.data_preprocessor = ImgDataPreprocessor(
                mean=[128.] * 3, std=[64.] * 3, bgr_to_rgb=True)

        def forward(self, x, mode='tensor'):
            assert mode == 'tensor' and x.shape == (1, 3, 8, 8)
            assert x.dtype == torch.float32 and x.min() == -2  # normalised
            out = torch.zeros(1, self.channels, 4, 4)
            out[0, -1, 1, 2] = 3.  # one hot spot in the last channel
            return out

    image = np.zeros((16, 12, 3), np.uint8)
    cam = network_score_map(Net(3), image, label=2, input_size=8)
    assert cam.shape == (16, 12) and cam.max() == pytest.approx(1)
    assert np.unravel_index(cam.argmax(), cam.shape)[1] > 6  # right half
    assert network_score_map(Net(3), image, label=0, input_size=8).max() == 0
    prob = network_score_map(Net(1), image, label=0, input_size=8)
    assert prob.min() > 0  # sigmoid of the logits, then max-normalised
