"""bench_spol, the ablation table, spol_table and the coverage shares."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool(rel):
    spec = importlib.util.spec_from_file_location(
        osp.basename(rel)[:-3], osp.join(ROOT, rel))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_bench_spol_markdown_ratios():
    bench = _tool('tools/analysis_tools/bench_spol.py')
    table = bench.markdown([
        dict(task='t', impl='slow', rate=10., unit='maps/s', peak_mib=3.),
        dict(task='t', impl='fast', rate=50., unit='maps/s', speedup=5.,
             check='equal'),
    ])
    lines = table.splitlines()
    assert lines[2] == '| t | slow | 10.0 maps/s |  | 3 |  |'
    assert lines[3] == '| t | fast | 50.0 maps/s | x5.0 |  | equal |'


def test_ablation_table_mean_and_std():
    ablation = _tool('tools/ablation.py')
    assert ablation.mean_std([1., 2., 3.]) == '2.00 ± 1.00'
    assert ablation.mean_std([4.]) == '4.00'
    table = ablation.markdown(
        {'a': [{'x': 1., 'y': 2.}, {'x': 3., 'y': 2.}], 'b': [{'x': 5.}]},
        seeds=[0, 1])
    lines = table.splitlines()
    assert lines[0] == 'mean ± std over seeds [0, 1]'
    assert lines[2] == '| row | x | y |'
    assert lines[4] == '| a | 2.00 ± 1.41 | 2.00 ± 0.00 |'
    assert lines[5] == '| b | 5.00 | - |'
    assert ablation.slug("0.7 step 'off'") == '0-7-step-off'


def test_spol_table_merges_files_of_a_row(tmp_path):
    paper, protocol = tmp_path / 'p.json', tmp_path / 'q.json'
    paper.write_text(json.dumps({'wsol/GT-known Loc': 50.0}))
    protocol.write_text(
        json.dumps({'wsol/GT-known Loc': 1.0, 'wsol/MaxBoxAccV2': 40.0}))
    proc = subprocess.run([
        sys.executable, 'tools/spol_table.py', f'{paper},{protocol}',
        '--names', 'row'
    ], cwd=ROOT, capture_output=True, text=True, check=True)
    assert '| row | 50.00 | 40.00 |' in proc.stdout


def test_region_shares_by_hand():
    coverage = _tool('tools/analysis_tools/cam_part_coverage.py')
    score = np.array([[1., .5, 0., 0.], [0., 0., .1, .4]])
    part = np.zeros((2, 4), bool)
    part[0, 0] = True
    obj = np.zeros((2, 4), bool)
    obj[0, :2] = True
    shares = coverage.region_shares(score, part, obj, threshold=0.3)
    np.testing.assert_allclose(shares['mass'], [1 / 2, .5 / 2, .5 / 2])
    np.testing.assert_allclose(shares['covered'], [1., 1., 1 / 6])


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
