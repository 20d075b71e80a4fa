"""tools/ablation.py: its rows are configs, its runs resume from their
result files, its tables carry the paper's numbers."""
import argparse
import importlib.util
import os
import os.path as osp
import sys

import pytest

from tests.helpers import table_cells

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'ablation.py')


@pytest.fixture(scope='module')
def ablation():
    spec = importlib.util.spec_from_file_location('ablation', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _args(ablation, tmp_path, **kw):
    preset = ablation.PRESETS['lite0']
    args = dict(preset='lite0', groups=['fusion', 'modules', 'gppl'],
                rows=None, seeds=[0, 1], data=preset['data'],
                epochs1=preset['epochs1'], epochs2=preset['epochs2'],
                work_dir=str(tmp_path / 'work'), workers=0,
                python=sys.executable, tables_only=False,
                results=str(tmp_path / 'results'))
    args.update(kw)
    return argparse.Namespace(**args)


@pytest.mark.parametrize('preset', ['lite0', 'r18'])
def test_every_row_is_a_config(ablation, preset):
    configs = [c for group in ablation.STAGE1_ROWS[preset].values()
               for c in group.values()]
    if preset == 'lite0':
        configs += list(ablation.STAGE2_ROWS.values())
    configs += [ablation.PRESETS[preset][k]
                for k in ('stage1', 'stage2', 'spol')]
    for config in configs:
        assert osp.isfile(osp.join(ROOT, 'configs', 'spol', f'{config}.py'))


def test_lite0_has_every_row_of_tables_2_to_4(ablation, tmp_path):
    jobs = ablation.make_jobs(_args(ablation, tmp_path))
    names = [j.name for j in jobs if j.group == 'fusion']
    assert names[0] == 'Fuse1' and len(names) == 10  # Fuse1 + 3 x 3
    for n in (2, 3, 4):
        for op in ('add', 'concat', 'mul'):
            assert any(name.startswith(f'Fuse{n} {op}') for name in names)
    gppl = {j.name for j in jobs if j.group == 'gppl'}
    assert {"no threshold ('off', fg 0.5)", 'no Gaussian (fg 0.5, bg 0.2)',
            "paper, 'off', bg 0.2"} <= gppl
    # MFF-Net1 is a row of Tables 2 and 3 and runs once.
    keys = [j.key for j in jobs if j.group in ('fusion', 'modules')]
    assert len(keys) - len(set(keys)) == 1
    # every paper number belongs to a row
    assert set(ablation.PAPER) <= {j.name for j in jobs}
    # the CAM family: every method of CAMFamilyLocalizer, and SPOL
    from spol_mm.models.localizers import CAM_METHODS
    family = ablation.make_jobs(_args(ablation, tmp_path,
                                      groups=['camfamily']))
    assert {j.spec['method'] for j in family} == {None, *CAM_METHODS}
    assert ablation.DEFAULT_GPPL in ablation.GPPL_ROWS['lite0']


def test_finished_runs_are_kept_and_changed_rows_refused(ablation, tmp_path):
    args = _args(ablation, tmp_path, groups=['fusion'], rows=['Fuse2'])
    jobs = ablation.make_jobs(args)
    results = ablation.Results(args.results)
    job = jobs[0]
    assert results.get(job, 0) is None
    results.put(job, 0, {'GT-known Loc': 50.0}, seconds=12.34)
    stored = results.get(job, 0)
    assert stored['metrics'] == {'GT-known Loc': 50.0}
    assert stored['seconds'] == 12.3
    # the same row with another schedule is another run: refused, not mixed
    changed = ablation.make_jobs(
        _args(ablation, tmp_path, groups=['fusion'], rows=['Fuse2'],
              epochs1=2))[0]
    with pytest.raises(SystemExit, match='delete it'):
        results.get(changed, 0)
    with open(results.path(job.key, 1), 'w') as f:
        f.write('{')
    with pytest.raises(SystemExit, match='not a result file'):
        results.get(job, 1)


def test_tables_carry_the_paper_and_the_fusion_grid(ablation, tmp_path):
    args = _args(ablation, tmp_path, groups=['fusion', 'modules'])
    jobs = ablation.make_jobs(args)
    stored = {}
    for job in jobs:
        for seed, value in ((0, 60.0), (1, 70.0)):
            if job.name.startswith('Fuse2'):
                stored[(job.key, seed)] = dict(
                    metrics={'GT-known Loc': value}, seconds=1800, cpus=2)
    text = ablation.tables(jobs, stored, [0, 1])
    assert '6 of 26 runs finished, 3.0 h' in text
    rows = table_cells(text)
    assert ['Addition', '-', '65.00 ± 7.07 (55.19)', '-', '-'] in rows
    assert ['Fuse2 mul', '65.00 ± 7.07', '79.05'] in rows
    assert '(no run finished yet)' in text  # the modules group


def test_paired_differences_seed_by_seed(ablation, tmp_path):
    args = _args(ablation, tmp_path, groups=['modules'])
    jobs = ablation.make_jobs(args)
    names = {j.name: j for j in jobs}
    default = names['MFF-Net1 (default)']
    no_mca = names['MFF-Net1 without MCA']
    stored = {}
    # The seeds move both rows together: the spread of the differences is
    # far below that of either row. Seed 2 has no default run: not paired.
    for seed, (a, b) in enumerate(((60.0, 62.0), (80.0, 83.0), (None, 99.0))):
        for job, value in ((default, a), (no_mca, b)):
            if value is not None:
                stored[(job.key, seed)] = dict(
                    metrics={'GT-known Loc': value, 'PxAP': 1.0},
                    seconds=1, cpus=2)
    text = ablation.tables(jobs, stored, [0, 1, 2])
    assert 'row minus "MFF-Net1 (default)" seed by seed' in text
    rows = table_cells(text)
    assert ['MFF-Net1 without MCA', '2.50 ± 0.71', '0.00 ± 0.00'] in rows
    assert ablation.paired_differences(jobs, {}, [0], default) == ''


def test_main_runs_what_is_missing_and_resumes(ablation, tmp_path,
                                               monkeypatch):
    args = _args(ablation, tmp_path, groups=['modules'], rows=['without'],
                 seeds=[0])
    monkeypatch.setattr(ablation, 'parse_args', lambda: args)
    calls = []

    def fake_stage1(runner, config, seed):
        calls.append(config)
        return {'GT-known Loc': float(len(calls))}

    monkeypatch.setattr(ablation, 'run_stage1', fake_stage1)
    ablation.main()
    assert len(calls) == 2  # without MCA, without the aux loss
    tables = osp.join(args.results, 'tables.md')
    with open(tables) as f:  # every group of the preset is shown
        text = f.read()
    assert '2 of 32 runs finished' in text and '## Table 2' in text
    ablation.main()  # everything finished: nothing runs again
    assert len(calls) == 2
    os.remove(tables)
    monkeypatch.setattr(ablation, 'parse_args', lambda: argparse.Namespace(
        **dict(vars(args), rows=None, tables_only=True)))
    ablation.main()  # the two other modules rows are missing: not run
    assert len(calls) == 2
    with open(tables) as f:
        assert f.read() == text


def test_shared_runs_and_tables_of_every_stored_seed(ablation, tmp_path,
                                                     monkeypatch):
    # Eq. 7 on the default labels is the default GPPL row: one run
    jobs = ablation.make_jobs(_args(ablation, tmp_path,
                                    groups=['gppl', 'stage2']))
    keys = {j.name: j.key for j in jobs}
    assert keys['Eq. 7: sum / all pixels'] == keys[ablation.DEFAULT_GPPL]
    # a stored seed outside --seeds still shows; another row's changed
    # settings only hide that run, they do not stop this one
    args = _args(ablation, tmp_path, groups=['modules'],
                 rows=['without MCA'], seeds=[0], tables_only=True)
    results = ablation.Results(args.results)
    job = ablation.make_jobs(args)[0]
    results.put(job, 5, {'GT-known Loc': 42.0}, seconds=1.0)
    other = ablation.make_jobs(
        _args(ablation, tmp_path, groups=['modules'], rows=['aux']))[0]
    results.put(other, 0, {'GT-known Loc': 1.0}, seconds=1.0)
    with open(results.path(other.key, 0)) as f:
        text = f.read().replace('"epochs1": 8', '"epochs1": 3')
    with open(results.path(other.key, 0), 'w') as f:
        f.write(text)
    monkeypatch.setattr(ablation, 'parse_args', lambda: args)
    ablation.main()
    with open(osp.join(args.results, 'tables.md')) as f:
        rows = table_cells(f.read())
    assert ['MFF-Net1 without MCA', '42.00', '72.83', '85.55',
            '88.52'] in rows
    assert not any(r[0] == 'MFF-Net1 without aux loss' for r in rows)
