"""The Markdown tables of spol_table, the ablation and bench_spol."""
import json

from spol_mm.benchmarks.tables import (markdown_table, mean_std,
                                       mean_std_table, pick, read_result_row,
                                       slug, speed_table)


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
    assert table.splitlines() == [
        '| method | GT-known Loc | MaxBoxAccV2 | cls top1 |',
        '|---|---|---|---|',
        '| a | 50.00 | - | 70.00 |',
        '| b | - | 40.00 | - |',
    ]


def test_ablation_table_mean_and_std():
    assert mean_std([1., 2., 3.]) == '2.00 ± 1.00'
    assert mean_std([4.]) == '4.00'
    table = mean_std_table(
        {'a': [{'x': 1., 'y': 2.}, {'x': 3., 'y': 2.}], 'b': [{'x': 5.}]},
        seeds=[0, 1])
    lines = table.splitlines()
    assert lines[0] == 'mean ± std over seeds [0, 1]'
    assert lines[2] == '| row | x | y |'
    assert lines[4] == '| a | 2.00 ± 1.41 | 2.00 ± 0.00 |'
    assert lines[5] == '| b | 5.00 | - |'
    assert slug("0.7 step 'off'") == '0-7-step-off'


def test_speed_table_ratios():
    table = speed_table([
        dict(task='t', impl='slow', rate=10., unit='maps/s', peak_mib=3.),
        dict(task='t', impl='fast', rate=50., unit='maps/s', speedup=5.,
             check='equal'),
        dict(task='s', impl='spol', rate=2., unit='images/s', step_s=0.5,
             step_min_s=0.4, step_max_s=0.6, gflops=1.5, time_ratio=1.25,
             flop_ratio=1.1),
    ])
    lines = table.splitlines()
    assert lines[2] == '| t | slow | 10.0 maps/s |  | 3 |  |'
    assert lines[3] == '| t | fast | 50.0 maps/s | x5.0 |  | equal |'
    assert lines[4] == ('| s | spol | 2.0 images/s (0.50 s/step, min 0.40 '
                        'max 0.60, 1.50 GFLOPs) | step time x1.250 (FLOPs '
                        'x1.100) |  |  |')
    assert table.endswith('\n')
