"""tools/dataset_converters/make_synthetic_wsol.py and its alias
tools/make_synthetic_wsol.py: same flags, same files, same messages."""
import json
import os
import os.path as osp
import subprocess
import sys

from spol_mm.benchmarks.synthetic import META_FILE
from ..benchmarks.test_synthetic import _all_files as _files

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONVERTER = osp.join(ROOT, 'tools', 'dataset_converters',
                     'make_synthetic_wsol.py')
ALIAS = osp.join(ROOT, 'tools', 'make_synthetic_wsol.py')
ARGS = [
    '--classes', '2', '--train', '4', '--test', '2', '--size', '40',
    '--no-properties'
]


def _run(tool, out, *args):
    return subprocess.run(
        [sys.executable, tool, '--out', out, *ARGS, *args],
        capture_output=True,
        text=True,
        cwd=ROOT)


def test_converter_and_alias(tmp_path):
    """Write, run again (nothing to do), refuse other arguments: the alias
    writes the same bytes and says the same as the converter."""
    runs, files = {}, {}
    for name, tool in (('converter', CONVERTER), ('alias', ALIAS)):
        out = str(tmp_path / name)
        runs[name] = [
            _run(tool, out, '--seed', seed) for seed in ('3', '3', '4')
        ]
        files[name] = _files(out)
        written, again, refused = runs[name]
        assert written.returncode == 0, written.stderr
        assert 'written in' in written.stdout
        assert again.returncode == 0, again.stderr
        assert 'already complete, nothing written' in again.stdout
        assert refused.returncode != 0
        assert 'Traceback' not in refused.stderr
        assert META_FILE in refused.stderr
        meta = json.loads(files[name][META_FILE])
        assert meta['complete'] and meta['args'] == dict(
            classes=2, train=4, test=2, size=40, seed=3, benchmark='cub_like')
    assert files['alias'] == files['converter']  # byte-identical
    for a, c in zip(runs['alias'], runs['converter']):
        assert a.returncode == c.returncode

        def text(run, name):  # but for the folder and the time taken
            said = (run.stdout + run.stderr).replace(
                str(tmp_path / name), 'OUT')
            return said.split(' (written in')[0]

        assert text(a, 'alias') == text(c, 'converter')
    help_ = [
        subprocess.run([sys.executable, tool, '--help'],
                       capture_output=True,
                       text=True).stdout for tool in (CONVERTER, ALIAS)
    ]
    assert help_[0] == help_[1] and '--classes' in help_[0]


def test_part_stress_and_properties(tmp_path):
    """--benchmark part_stress writes the stress test (its args as before
    the CUB-like benchmark existed); the properties are measured once, kept
    in the folder and printed again from there."""
    out = str(tmp_path / 'stress')
    args = ['--benchmark', 'part_stress', '--classes', '2', '--train', '8',
            '--test', '4', '--size', '40']
    first = subprocess.run([sys.executable, CONVERTER, '--out', out, *args],
                           capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    meta = json.loads(open(osp.join(out, META_FILE)).read())
    assert meta['args'] == dict(classes=2, train=8, test=4, size=40, seed=0)
    assert 'part_stress' in first.stdout
    assert '] objects cover 30-40 % of the image' in first.stdout
    assert 'oracle on the part alone' in first.stdout
    props = osp.join(out, 'benchmark_properties.json')
    stamp = os.stat(props).st_mtime_ns
    again = subprocess.run([sys.executable, CONVERTER, '--out', out, *args],
                           capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert os.stat(props).st_mtime_ns == stamp  # read, not measured again
    lines = [ln for ln in first.stdout.splitlines() if ln.startswith('[')]
    assert lines == [ln for ln in again.stdout.splitlines()
                     if ln.startswith('[')]
