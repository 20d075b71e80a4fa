"""bench_spol and spol_table from the command line, and the score maps of
cam_part_coverage (the tables and shares: tests/benchmarks/)."""
import json
import os.path as osp
import runpy
import subprocess
import sys

import numpy as np
import pytest
import torch

from tests.helpers import table_cells

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _cam_folder(root):
    """A --out-maps folder (maps + metadata/) of 2 generated maps."""
    from spol_mm.benchmarks.score_maps import blob_maps, boxes_near_peaks
    from wsol_protocol.metadata import write_wsol_metadata
    from wsol_protocol.saved_maps import save_scoremap
    maps = blob_maps(2, seed=5)
    boxes = boxes_near_peaks(maps, seed=5)
    ids = ['b/0.jpg', 'b/1.jpg']
    write_wsol_metadata(
        str(root / 'metadata'), ids, {i: 0 for i in ids},
        {i: (448, 224) for i in ids},  # boxes rescale to the 224 frame
        boxes={i: (b * [2, 1, 2, 1]).tolist() for i, b in zip(ids, boxes)})
    for i, m in zip(ids, maps):
        save_scoremap(str(root), i, m)
    return root


def _bench_spol(out, *args):
    """Run bench_spol.py with ``args`` into ``out``: its process and rows."""
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/bench_spol.py', *args,
        '--out-dir', str(out)
    ], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, json.loads((out / 'bench_spol.json').read_text())['rows']


def test_bench_spol_runs_and_checks_equality(tmp_path):
    out = tmp_path / 'bench'
    proc, rows = _bench_spol(
        out, '--only', 'gppl', 'gppl_e2e', 'eval', '--repeat', '1',
        '--gppl-maps', '4', '--gppl-size', '64', '--eval-maps', '3',
        '--eval-repeat', '1', '--eval-workers', '1', '--cam-maps',
        str(_cam_folder(tmp_path / 'cams')), '--no-memory')
    # 4 GPPL rows; per map kind and metric: the anchor, the accumulator
    # and eval_wsol with 1 process, and for MaxBoxAccV2 the accumulator
    # with MaxBoxAcc too.
    assert len(rows) == 4 + 3 * (3 + 4)
    checks = [r['check'] for r in rows if 'check' in r]
    assert checks == ['0 of 16384 labels differ', 'PNGs equal'] + [
        'MaxBoxAcc@30/50/70 equal'
    ] * 15
    assert sum('with MaxBoxAcc too' in r['impl'] for r in rows) == 3
    assert all(r['rate'] > 0 for r in rows)
    assert {r['task'].split(', ')[1].split(' (')[0]
            for r in rows if 'MaxBox' in r['task']} == {
                'blobs', 'noisy', 'cams'}
    table = (out / 'bench_spol.md').read_text()
    assert table.count('| MaxBoxAccV2, cams (2 maps') == 4
    assert table.splitlines()[-1] in proc.stdout


# A stand-in for the authors' SPOL checkout, with the interface of their
# cub200-cam/test.py (Data, Test.pred_save writing fused PNGs into
# datapath/seg) and their top-level modules; its Gaussian channel is
# spol_mm's released prior, so the tool's check must find no difference.
FAKE_OFFICIAL = {
    'utils/__init__.py': """
import torch
from spol_mm.pseudo_label import normalize_cams, released_gaussian_prior


def gaussian_prior(pred):
    cams = normalize_cams(torch.from_numpy(pred)[None])
    return released_gaussian_prior(cams)[0].double().numpy()
""",
    'cub200-cam/model.py': 'Model = None\n',
    'cub200-cam/test.py': """
import os
import sys

import cv2
import numpy as np
import torch
from model import Model  # noqa: F401
from utils import gaussian_prior

os.environ['CUDA_VISIBLE_DEVICES'] = '0'
sys.dont_write_bytecode = True


class Data:

    def __init__(self, args):
        with open(args.datapath + '/' + args.list) as f:
            self.samples = [line.strip().split(',') for line in f]


class Test:

    def __init__(self, Data, Model, args):
        self.args, self.data = args, Data(args)
        self.model = Model(args)
        self.model.cuda()

    def pred_save(self):
        root = self.args.datapath
        for name, label, _ in self.data.samples:
            image = cv2.imread(root + '/image/' + name)
            image = torch.from_numpy(image).cuda().float()
            pred = self.model(image)[0, float(label), :, :].cpu().numpy()
            fuse = np.stack((pred * 255, gaussian_prior(pred) * 255,
                             np.zeros_like(pred)), -1)
            os.makedirs(root + '/seg/' + name.split('/')[0], exist_ok=True)
            cv2.imwrite(root + '/seg/' + name.replace('.jpg', '.png'),
                        np.uint8(fuse))
""",
}


def _fake_official(root):
    for rel, text in FAKE_OFFICIAL.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_bench_spol_against_the_authors_pseudo_label_loop(tmp_path):
    _, rows = _bench_spol(
        tmp_path / 'bench', '--only', 'gppl_e2e', '--repeat', '1',
        '--gppl-maps', '3', '--gppl-size', '48', '--spol-official-dir',
        str(_fake_official(tmp_path / 'SPOL')))
    assert [r['impl'].split(' ')[0] for r in rows] == [
        'numpy', 'batched', "authors'", 'spol_mm,'
    ]
    assert [r.get('check') for r in rows] == [
        None, 'PNGs equal', None,
        'Gaussian channel vs spol_mm released prior: max abs diff 0, '
        '0.0% of pixels > 1'
    ]
    assert all(r['rate'] > 0 for r in rows) and 'speedup' in rows[3]


def test_bench_spol_imports_the_authors_script_and_puts_back(
        tmp_path, monkeypatch):
    import importlib.util
    import os
    spec = importlib.util.spec_from_file_location(
        'bench_spol', osp.join(ROOT, 'tools/analysis_tools/bench_spol.py'))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path, env = list(sys.path), os.environ.get('CUDA_VISIBLE_DEVICES')
    monkeypatch.setattr(sys, 'dont_write_bytecode', False)  # it sets it
    module = bench._import_spol_official(str(_fake_official(tmp_path)))
    assert hasattr(module, 'Test') and hasattr(module, 'Data')
    assert sys.path == path and 'utils' not in sys.modules
    assert 'model' not in sys.modules and not sys.dont_write_bytecode
    assert os.environ.get('CUDA_VISIBLE_DEVICES') == env
    with pytest.raises(SystemExit, match='no cub200-cam/test.py'):
        bench._import_spol_official(str(tmp_path / 'cub200-cam'))


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
    assert ['row', '50.00', '40.00'] in table_cells(proc.stdout)
    assert out.read_text() == proc.stdout


def test_spol_table_val_threshold_and_columns(tmp_path, monkeypatch,
                                              capsys):
    def write(name, metrics):
        path = tmp_path / name
        path.write_text(json.dumps(metrics))
        return str(path)

    test = write('test.json', {
        'wsol/GT-known Loc': 50.0,
        'wsol/Top-1 Loc': 30.0,
        'wsol/GT-known Loc@0.20': 50.0,
        'wsol/Top-1 Loc@0.20': 30.0,
        'wsol/GT-known Loc@0.40': 70.0,
        'wsol/Top-1 Loc@0.40': 45.0,
        'accuracy/top1': 80.0
    })
    protocol = write('protocol.json', {'wsol/MaxBoxAccV2': 40.0})
    val = write('val.json', {
        'wsol/GT-known Loc@0.20': 60.0,
        'wsol/GT-known Loc@0.40': 55.0
    })
    other = write('other.json', {'wsol/GT-known Loc': 20.0})

    def table(*args):  # in-process: a subprocess per call is slow
        monkeypatch.setattr(sys, 'argv', ['spol_table.py', *args])
        runpy.run_path(osp.join(ROOT, 'tools', 'spol_table.py'),
                       run_name='__main__')
        return table_cells(capsys.readouterr().out)

    rows = [f'{test},{protocol}', other, '--names', 'spol', 'other']
    # without --val: the fixed threshold's numbers, no @t column
    assert table(*rows) == [
        ['method', 'Top-1 Loc', 'GT-known Loc', 'MaxBoxAccV2', 'cls top-1'],
        ['spol', '30.00', '50.00', '40.00', '80.00'],
        ['other', '-', '20.00', '-', '-'],
    ]
    # val is best at 0.20 although test is best at 0.40: test at 0.20
    assert table(*rows, '--val', val, '-') == [
        ['method', 'Top-1 Loc', 'GT-known Loc', 'MaxBoxAccV2', 'cls top-1',
         'threshold (val)'],
        ['spol', '30.00', '50.00', '40.00', '80.00', '0.20'],
        ['other', '-', '20.00', '-', '-', '-'],
    ]
    # val best at 0.40 (swapped); --columns chooses and orders the columns
    val2 = write('val2.json', {
        'wsol/GT-known Loc@0.20': 1.0,
        'wsol/GT-known Loc@0.40': 2.0
    })
    assert table(*rows, '--val', val2, '-', '--columns', 'GT-known Loc',
                 'top1', 'Top-1 Loc') == [
        ['method', 'GT-known Loc', 'cls top-1', 'Top-1 Loc',
         'threshold (val)'],
        ['spol', '70.00', '80.00', '45.00', '0.40'],
        ['other', '20.00', '-', '-', '-'],
    ]
    # '+' joins the runs (seeds) of a row: mean ± std, each run at its own
    # val threshold
    seeds = [f'{test},{protocol}+{test},{protocol}', other, '--names', 'spol',
             'other', '--val', f'{val}+{val2}', '-']
    assert table(*seeds)[1] == [
        'spol', '37.50 ± 10.61', '60.00 ± 14.14', '40.00 ± 0.00',
        '80.00 ± 0.00', '0.30 ± 0.14'
    ]
    with pytest.raises(SystemExit):
        table(*seeds[:-3], '--val', val, '-')
    assert '2 test runs but 1 val runs' in capsys.readouterr().err
    # a val file without the sweep, or a --val per row missing: clear errors
    for bad, match in [(['--val', other, '-'], 'no threshold sweep'),
                       (['--val', val], 'one --val entry per result row'),
                       (['--columns', 'top-1'], 'invalid choice')]:
        with pytest.raises(SystemExit) as exit_:
            table(*rows, *bad)
        assert exit_.value.code == 2
        assert match in capsys.readouterr().err


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
