"""tools/test.py runs the trivial-box reference without a checkpoint."""
import json
import os.path as osp

import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from .runs import ROOT, ToolRun, run_all

CONFIGS = osp.join(ROOT, 'configs', 'spol')


@pytest.mark.slow
def test_trivial_box_configs_test_without_checkpoint(tmp_path):
    data = str(tmp_path / 'data')
    write_synthetic_wsol(data, classes=2, train=2, test=4, size=64, seed=0)
    runs, outs = [], []
    for name in ('trivial_box_synthetic', 'trivial_box_synthetic_protocol'):
        out = str(tmp_path / f'{name}.json')
        outs.append(out)
        runs.append(
            ToolRun('test.py', (
                osp.join(CONFIGS, f'{name}.py'), '--work-dir',
                str(tmp_path / name), '--out', out, '--cfg-options',
                f'test_dataloader.dataset.data_root={data}',
                'test_dataloader.num_workers=0',
                'test_dataloader.persistent_workers=False')))
    run_all(runs, str(tmp_path))
    paper, protocol = (json.load(open(p)) for p in outs)
    # No classifier: GT-known Loc only; the paper frame is a crop, so the
    # protocol's metrics come only from the protocol config.
    assert 'wsol/GT-known Loc' in paper and 'wsol/Top-1 Loc' not in paper
    assert not any(k.startswith('accuracy') for k in paper)
    assert 'wsol/MaxBoxAcc' not in paper
    # The sweep of the SPOL configs: a box size per threshold.
    assert paper['wsol/GT-known Loc@0.20'] == paper['wsol/GT-known Loc']
    assert 'wsol/GT-known Loc@0.95' in paper
    for key in ('wsol/MaxBoxAcc', 'wsol/MaxBoxAccV2', 'wsol/PxAP'):
        assert 0 <= protocol[key] <= 100
    # The best centred box on the set is at least as good as the one at 0.2.
    assert protocol['wsol/MaxBoxAcc'] >= protocol['wsol/GT-known Loc']
