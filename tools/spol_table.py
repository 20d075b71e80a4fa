"""Print (and save as Markdown) a WSOL results table from tools/test.py's
``--out`` JSON files, one row per file (``a.json,b.json`` merges the
metrics of several files, e.g. the paper's frame and the protocol's, into
one row; a metric in both is taken from the first)."""
import argparse
import os.path as osp

from spol_mm.benchmarks.tables import markdown_table, read_result_row
from spol_mm.utils.fileio import atomic_write_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('results', nargs='+',
                        help='metric JSON files (comma-joined: one row)')
    parser.add_argument('--names', nargs='+', help='row names')
    parser.add_argument('--out', help='also write the table here')
    args = parser.parse_args()
    names = args.names or [
        osp.splitext(osp.basename(r.split(',')[0]))[0] for r in args.results
    ]
    if len(names) != len(args.results):
        parser.error('give one --names entry per result file')
    rows = [read_result_row(paths.split(',')) for paths in args.results]
    table = markdown_table(names, rows)
    print(table)
    if args.out:
        atomic_write_text(args.out, table + '\n')


if __name__ == '__main__':
    main()
