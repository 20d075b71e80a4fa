"""tools/test.py evaluates every CAM method on a ResNet and a non-ResNet
mmpretrain classifier with WSOLBoxMetric, and exports their maps."""
import json
import os.path as osp
from pathlib import Path

import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.models.localizers import CAM_METHODS
from .runs import CONFIGS, ToolRun, run_all

FAMILIES = ('tiny_camfamily', 'tiny_camfamily_densenet')


@pytest.mark.slow
def test_every_method_on_two_families_through_test_py(tmp_path):
    data = str(tmp_path / 'data')
    write_synthetic_wsol(data, classes=2, train=2, test=4, size=64, seed=0)
    lines, outs = [], {}
    for family in FAMILIES:
        for method in CAM_METHODS:
            out = str(tmp_path / f'{family}_{method}.json')
            outs[(family, method)] = out
            lines.append(' '.join([
                osp.join(CONFIGS, f'{family}.py'), '--work-dir',
                str(tmp_path / 'work'), '--out', out, '--cfg-options',
                f'test_dataloader.dataset.data_root={data}',
                f'model.method={method}'
            ]))
    jobs = tmp_path / 'jobs.txt'
    jobs.write_text('\n'.join(lines) + '\n')
    maps = str(tmp_path / 'maps')
    run_all([
        ToolRun('analysis_tools/test_many.py', (str(jobs), )),
        ToolRun('test.py', (osp.join(CONFIGS, 'tiny_camfamily_densenet.py'),
                            '--work-dir', str(tmp_path / 'export'),
                            '--out-maps', maps, '--cfg-options',
                            f'test_dataloader.dataset.data_root={data}',
                            'model.method=layercam'))
    ], str(tmp_path))
    results = {}
    for (family, method), out in outs.items():
        with open(out) as f:
            metrics = json.load(f)
        # paper frame: GT-known and Top-1 Loc (the classifier's classes)
        assert 0 <= metrics['wsol/GT-known Loc'] <= 100, (family, method)
        assert 'wsol/Top-1 Loc' in metrics and 'accuracy/top1' in metrics
        results[(family, method)] = metrics
    # the method option reaches the localiser: the maps differ
    for family in FAMILIES:
        sweeps = {m: [v for k, v in results[(family, m)].items() if '@' in k]
                  for m in CAM_METHODS}
        assert len({tuple(v) for v in sweeps.values()}) > 1, family
    assert len(list(Path(maps).rglob('*.npy'))) == 4  # the 4 test images
