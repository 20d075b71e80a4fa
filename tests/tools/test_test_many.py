"""tools/analysis_tools/test_many.py: many tools/test.py lines, one process,
the same metrics as tools/test.py, finished jobs skipped."""
import json
import os.path as osp
import shlex
import subprocess
import sys

import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from .runs import ROOT

TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'test_many.py')
CONFIG = osp.join(ROOT, 'configs', 'spol', 'trivial_box_synthetic.py')


def _line(data, out, split):
    return ' '.join(
        shlex.quote(a) for a in (
            CONFIG, '--work-dir', out + '.d', '--out', out, '--cfg-options',
            f'test_dataloader.dataset.data_root={data}',
            f'test_dataloader.dataset.split={split}',
            'test_dataloader.num_workers=0',
            'test_dataloader.persistent_workers=False'))


@pytest.mark.slow
def test_jobs_in_one_process_match_tools_test(tmp_path):
    data = str(tmp_path / 'data')
    write_synthetic_wsol(data, classes=2, train=10, test=4, size=48, seed=0)
    outs = [str(tmp_path / f'{split}.json') for split in ('val', 'test')]
    jobs = tmp_path / 'jobs.txt'
    jobs.write_text('# the trivial box on val and test\n' +
                    _line(data, outs[0], 'val') + '\n\n' +
                    _line(data, outs[1], 'test') + '\n')
    run = subprocess.run([sys.executable, TOOL, str(jobs)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count('==== evaluating') == 2
    val, test = (json.load(open(p)) for p in outs)
    assert 'wsol/GT-known Loc@0.20' in val and 'wsol/GT-known Loc' in test
    # tools/test.py on the same line gives the same numbers
    single = str(tmp_path / 'single.json')
    line = shlex.split(_line(data, single, 'test'))
    subprocess.run([sys.executable, 'tools/test.py', *line], cwd=ROOT,
                   check=True, capture_output=True)
    assert json.load(open(single)) == test
    again = subprocess.run([sys.executable, TOOL, str(jobs)], cwd=ROOT,
                           capture_output=True, text=True)
    assert again.returncode == 0 and 'evaluating' not in again.stdout


def test_bad_line_names_the_file_and_line(tmp_path):
    jobs = tmp_path / 'jobs.txt'
    jobs.write_text('\n--no-such-flag\n')
    run = subprocess.run([sys.executable, TOOL, str(jobs)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert f'{jobs}:2: not a tools/test.py command line' in run.stderr
