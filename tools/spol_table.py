"""Print (and save as Markdown) a WSOL results table from tools/test.py's
``--out`` JSON files, one row per file (``a.json,b.json`` merges the
metrics of several files, e.g. the paper's frame and the protocol's, into
one row; a metric in both is taken from the first)."""
import argparse
import json
import os
import os.path as osp
import tempfile
from typing import Dict, List, Optional

COLUMNS = ('Top-1 Loc', 'Top-5 Loc', 'GT-known Loc', 'MaxBoxAcc',
           'MaxBoxAccV2', 'best_threshold@50', 'PxAP', 'top1', 'top5')


def pick(metrics: Dict[str, float], column: str) -> Optional[float]:
    """The value of ``column`` whatever the metric's prefix (``wsol/``)."""
    for key, value in metrics.items():
        if key.split('/')[-1] == column:
            return value
    return None


def markdown_table(names: List[str], rows: List[Dict[str, float]]) -> str:
    """Rows as a Markdown table, with the columns any row has."""
    columns = [c for c in COLUMNS if any(pick(r, c) is not None
                                         for r in rows)]
    header = ['method'] + [
        'cls ' + c if c in ('top1', 'top5') else c for c in columns
    ]
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '---|' * len(header)]
    for name, row in zip(names, rows):
        cells = [name]
        for column in columns:
            value = pick(row, column)
            cells.append('-' if value is None else f'{value:.2f}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


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
    rows = []
    for paths in args.results:
        row = {}
        for path in paths.split(','):
            with open(path) as f:
                for key, value in json.load(f).items():
                    row.setdefault(key, value)  # the first file wins
        rows.append(row)
    table = markdown_table(names, rows)
    print(table)
    if args.out:
        out_dir = osp.dirname(osp.abspath(args.out))
        fd, tmp = tempfile.mkstemp(dir=out_dir, suffix='.tmp')
        with os.fdopen(fd, 'w') as f:
            f.write(table + '\n')
        os.replace(tmp, args.out)


if __name__ == '__main__':
    main()
