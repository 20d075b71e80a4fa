"""Print (and save as Markdown) a WSOL results table from tools/test.py's
``--out`` JSON files, one row per file (``a.json,b.json`` merges the
metrics of several files, e.g. the paper's frame and the protocol's, into
one run; a metric in both is taken from the first). ``a0.json,b0.json+
a1.json,b1.json`` gives a row several runs (e.g. seeds): its cells are
``mean ± std`` over them.

With ``--val``, a row's paper metrics (GT-known Loc, Top-k Loc) are those
of its test files at the threshold that is best on its val files (both
evaluated with ``WSOLBoxMetric(threshold_sweep=...)``, see
``spol_mm.benchmarks.tables.pick_on_val``), and the table has a column
``threshold (val)`` with that threshold."""
import argparse
import os.path as osp

from spol_mm.benchmarks.tables import (COLUMNS, markdown_table, pick_on_val,
                                       read_result_row)
from spol_mm.utils.fileio import atomic_write_text


def at_val_threshold(test_row: dict, val_row: dict) -> dict:
    """``test_row`` with its swept paper metrics replaced by those at the
    threshold chosen on ``val_row`` (and a ``threshold`` entry)."""
    _, picked = pick_on_val(val_row, test_row)
    swept = {key.split('/')[-1] for key in picked}
    # the picked values first: pick() takes the first key of a column
    return {
        **picked,
        **{k: v
           for k, v in test_row.items() if k.split('/')[-1] not in swept}
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('results', nargs='+',
                        help='metric JSON files (comma-joined: one row)')
    parser.add_argument('--names', nargs='+', help='row names')
    parser.add_argument(
        '--val', nargs='+',
        help='one entry per row: the val split\'s metric JSON files of the '
        'row (comma-joined; runs joined by "+" as for the results), or "-" '
        'for a row without; the paper metrics of '
        'a row with val files are taken at the threshold best on val '
        '(GT-known Loc)')
    parser.add_argument(
        '--columns', nargs='+', choices=COLUMNS, metavar='COLUMN',
        help='the columns to show, in this order (default: every column a '
        f'row has); out of: {", ".join(COLUMNS)} ("top1" is shown as '
        '"cls top-1", "threshold" as "threshold (val)", which is added at '
        'the end with --val unless named)')
    parser.add_argument('--out', help='also write the table here')
    args = parser.parse_args()
    names = args.names or [
        osp.splitext(osp.basename(r.split(',')[0]))[0] for r in args.results
    ]
    if len(names) != len(args.results):
        parser.error('give one --names entry per result file')
    if args.val is not None and len(args.val) != len(args.results):
        parser.error('give one --val entry per result row ("-" for a row '
                     'without val results)')
    rows = [[read_result_row(run.split(',')) for run in row.split('+')]
            for row in args.results]
    for i, val in enumerate(args.val or ()):
        if val == '-':
            continue
        vals = val.split('+')
        if len(vals) != len(rows[i]):
            parser.error(f'row {names[i]!r}: {len(rows[i])} test runs but '
                         f'{len(vals)} val runs')
        try:
            rows[i] = [
                at_val_threshold(run, read_result_row(v.split(',')))
                for run, v in zip(rows[i], vals)
            ]
        except ValueError as err:
            parser.error(f'row {names[i]!r}: {err}')
    columns = args.columns
    if columns is not None and args.val and 'threshold' not in columns:
        columns = list(columns) + ['threshold']
    table = markdown_table(names, rows, columns)
    print(table)
    if args.out:
        atomic_write_text(args.out, table + '\n')


if __name__ == '__main__':
    main()
