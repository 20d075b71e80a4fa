"""The Markdown tables of spol_table, the ablation and bench_spol."""
import json

import pytest

from spol_mm.benchmarks.tables import (grid_table, markdown_table, mean_std,
                                       mean_std_table, metric_table, pick,
                                       pick_on_val, read_result_row, slug,
                                       speed_table)
from tests.helpers import table_cells


def test_pick_ignores_the_prefix():
    metrics = {'wsol/GT-known Loc': 50.0, 'accuracy/top1': 70.0}
    assert pick(metrics, 'GT-known Loc') == 50.0
    assert pick(metrics, 'top1') == 70.0
    assert pick(metrics, 'PxAP') is None


def test_result_row_first_file_wins(tmp_path):
    paper, protocol = tmp_path / 'p.json', tmp_path / 'q.json'
    paper.write_text(json.dumps({'wsol/GT-known Loc': 50.0}))
    protocol.write_text(
        json.dumps({'wsol/GT-known Loc': 1.0, 'wsol/MaxBoxAccV2': 40.0}))
    row = read_result_row([str(paper), str(protocol)])
    assert row == {'wsol/GT-known Loc': 50.0, 'wsol/MaxBoxAccV2': 40.0}


def test_markdown_table_keeps_the_columns_a_row_has():
    table = markdown_table(['a', 'b'], [{
        'wsol/GT-known Loc': 50.0,
        'accuracy/top1': 70.0
    }, {
        'wsol/MaxBoxAccV2': 40.0
    }])
    assert table_cells(table) == [
        ['method', 'GT-known Loc', 'MaxBoxAccV2', 'cls top-1'],
        ['a', '50.00', '-', '70.00'],
        ['b', '-', '40.00', '-'],
    ]
    # a Markdown pipe table, one row per line, columns padded alike
    lines = table.splitlines()
    assert len(lines) == 4 and len({len(line) for line in lines}) == 1
    assert lines[1].startswith('| :-')  # names left, numbers right


def test_markdown_table_columns_and_headers():
    rows = [{
        'wsol/GT-known Loc': 50.0,
        'wsol/GT-known Loc@0.20': 99.0,  # the sweep: never a column
        'wsol/MaxBoxAcc@50': 98.0,
        'accuracy/top1': 70.0,
        'accuracy/top5': 90.0,
        'threshold': 0.35
    }]
    assert table_cells(markdown_table(['a'], rows)) == [
        ['method', 'GT-known Loc', 'cls top-1', 'cls top-5',
         'threshold (val)'],
        ['a', '50.00', '70.00', '90.00', '0.35'],
    ]
    # the given columns in the given order, also one that no row has
    table = markdown_table(['a'], rows, ['top1', 'PxAP', 'GT-known Loc'])
    assert table_cells(table) == [
        ['method', 'cls top-1', 'PxAP', 'GT-known Loc'],
        ['a', '70.00', '-', '50.00'],
    ]


def test_pick_on_val_lowest_of_the_best_and_prefix():
    val = {
        'wsol/GT-known Loc@0.30': 70.0,  # tied with 0.20: the lower wins
        'wsol/GT-known Loc@0.10': 50.0,
        'wsol/GT-known Loc@0.20': 70.0,
        'wsol/Top-1 Loc@0.40': 99.0,  # not the chosen column
        'wsol/GT-known Loc': 90.0,  # fixed threshold: not the sweep
        'wsol/MaxBoxAcc@50': 99.0,  # an IoU, not a threshold
    }
    test = {
        'wsol/GT-known Loc': 1.0,
        'wsol/Top-1 Loc': 2.0,
        'wsol/GT-known Loc@0.10': 10.0,
        'wsol/GT-known Loc@0.20': 60.0,
        'wsol/Top-1 Loc@0.20': 40.0,
        'wsol/Top-5 Loc@0.20': 55.0,
        'wsol/GT-known Loc@0.30': 65.0,
        'wsol/MaxBoxAcc@50': 5.0,
        'wsol/best_threshold@50': 0.5,
    }
    threshold, picked = pick_on_val(val, test)
    assert threshold == 0.2
    assert picked == {
        'wsol/GT-known Loc': 60.0,
        'wsol/Top-1 Loc': 40.0,
        'wsol/Top-5 Loc': 55.0,
        'threshold': 0.2
    }
    # another column, no prefix on val
    threshold, picked = pick_on_val(
        {'Top-1 Loc@0.10': 3.0, 'Top-1 Loc@0.30': 4.0}, test, 'Top-1 Loc')
    assert threshold == 0.3
    assert picked == {'wsol/GT-known Loc': 65.0, 'threshold': 0.3}


def test_pick_on_val_errors():
    with pytest.raises(ValueError, match='val metrics have no threshold '
                       "sweep of 'GT-known Loc'"):
        pick_on_val({'wsol/GT-known Loc': 1.0, 'wsol/MaxBoxAcc@50': 2.0},
                    {'wsol/GT-known Loc@0.20': 1.0})
    with pytest.raises(ValueError, match='test metrics have no threshold '
                       'sweep at 0.20'):
        pick_on_val({'wsol/GT-known Loc@0.20': 1.0},
                    {'wsol/GT-known Loc@0.30': 1.0})


def test_ablation_table_mean_and_std():
    assert mean_std([1., 2., 3.]) == '2.00 ± 1.00'
    assert mean_std([4.]) == '4.00'
    table = mean_std_table(
        {'a': [{'x': 1., 'y': 2.}, {'x': 3., 'y': 2.}], 'b': [{'x': 5.}]},
        seeds=[0, 1])
    assert table.splitlines()[0] == 'mean ± std over seeds [0, 1]'
    assert table_cells(table) == [
        ['row', 'x', 'y', 'runs'],  # the rows' counts differ
        ['a', '2.00 ± 1.41', '2.00 ± 0.00', '2'],
        ['b', '5.00', '-', '1'],
    ]
    assert slug("0.7 step 'off'") == '0-7-step-off'


def test_speed_table_ratios():
    table = speed_table([
        dict(task='t', impl='slow', rate=10., unit='maps/s', peak_mib=3.),
        dict(task='t', impl='fast', rate=50., unit='maps/s', speedup=5.,
             rate_min=40., rate_max=55., check='equal'),
        dict(task='s', impl='spol', rate=2., unit='images/s', step_s=0.5,
             step_min_s=0.4, step_max_s=0.6, gflops=1.5, time_ratio=1.25,
             flop_ratio=1.1),
    ])
    rows = table_cells(table)
    assert rows[1] == ['t', 'slow', '10.0 maps/s', '', '3', '']
    assert rows[0][3] == 'vs anchor'
    assert rows[2] == [
        't', 'fast', '50.0 maps/s (min 40.0, max 55.0)', 'x5.0', '', 'equal'
    ]
    assert rows[3] == [
        's', 'spol', '2.0 images/s (0.50 s/step, min 0.40 max 0.60, 1.50 '
        'GFLOPs)', 'step time x1.250, FLOPs x1.100', '', ''
    ]
    assert table.endswith('\n')


def test_ablation_table_with_paper_numbers_and_run_counts():
    table = mean_std_table(
        {'a': [{'x': 1.}, {'x': 3.}], 'b': [{'x': 5.}]}, seeds=[0, 1],
        paper={'a': {'x': 7.5}})
    assert table_cells(table) == [
        ['row', 'x', 'paper x', 'runs'],
        ['a', '2.00 ± 1.41', '7.50', '2'],
        ['b', '5.00', '-', '1'],
    ]


def test_grid_table():
    table = grid_table('op', ['add', 'mul'], ['F1', 'F2'],
                       {('add', 'F1'): '1', ('mul', 'F2'): '2'})
    assert table_cells(table) == [['op', 'F1', 'F2'], ['add', '1', '-'],
                                  ['mul', '-', '2']]


def test_metric_table_rounds_accuracies_only():
    table = metric_table({'wsol/MaxBoxAcc': 25.8333, 'best_threshold@50':
                          0.23, 'num_images': 240})
    lines = table.splitlines()
    assert lines[1].split() == ['|', 'metric', '|', 'value', '|']
    assert lines[3].split() == ['|', 'wsol/MaxBoxAcc', '|', '25.83', '|']
    assert lines[4].split() == ['|', 'best_threshold@50', '|', '0.23', '|']
    assert lines[5].split() == ['|', 'num_images', '|', '240', '|']
