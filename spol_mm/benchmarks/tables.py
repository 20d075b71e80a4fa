"""Markdown tables of results: the metric table of ``tools/spol_table.py``,
the mean +- std table of ``tools/ablation.py`` and the speed table of
``tools/analysis_tools/bench_spol.py``.

Pure functions on plain dicts (metrics as ``tools/test.py --out`` writes
them); no torch, no OpenMMLab.
"""
import json
import statistics
from typing import Dict, List, Optional, Sequence

__all__ = [
    'COLUMNS', 'pick', 'read_result_row', 'markdown_table', 'mean_std',
    'mean_std_table', 'slug', 'speed_table'
]

#: The columns of :func:`markdown_table`, in this order (those that no row
#: has are left out).
COLUMNS = ('Top-1 Loc', 'Top-5 Loc', 'GT-known Loc', 'MaxBoxAcc',
           'MaxBoxAccV2', 'best_threshold@50', 'PxAP', 'top1', 'top5')


def pick(metrics: Dict[str, float], column: str) -> Optional[float]:
    """The value of ``column`` whatever the metric's prefix (``wsol/``).

    Args:
        metrics (dict): Metric name -> value, names maybe prefixed.
        column (str): The name without prefix, e.g. ``'GT-known Loc'``.

    Returns:
        float | None: The first matching value, None when there is none.
    """
    for key, value in metrics.items():
        if key.split('/')[-1] == column:
            return value
    return None


def read_result_row(paths: Sequence[str]) -> Dict[str, float]:
    """Merge the metric JSON files of one row; a metric in several files is
    taken from the first (e.g. the paper's frame before the protocol's).

    Args:
        paths (Sequence[str]): JSON files of ``tools/test.py --out``.

    Returns:
        dict: The merged metrics.
    """
    row = {}
    for path in paths:
        with open(path) as f:
            for key, value in json.load(f).items():
                row.setdefault(key, value)  # the first file wins
    return row


def markdown_table(names: List[str], rows: List[Dict[str, float]]) -> str:
    """Rows as a Markdown table, with the :data:`COLUMNS` any row has.

    Args:
        names (list[str]): Row names (the ``method`` column).
        rows (list[dict]): One metric dict per row.

    Returns:
        str: The table, without a trailing newline; a missing value is
        ``-``.
    """
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


def mean_std(values: List[float]) -> str:
    """``'mean ± std'`` (sample std) with two decimals; one value alone."""
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}'


def mean_std_table(results: Dict[str, List[Dict[str, float]]],
                   seeds: Sequence[int]) -> str:
    """One row per entry of ``results``, mean ± std over its runs.

    Args:
        results (dict): Row name -> one metric dict per seed's run.
        seeds (Sequence[int]): The seeds, for the caption.

    Returns:
        str: Caption, blank line and table, with a trailing newline; the
        columns are every metric of any run, in first-seen order.
    """
    columns = []
    for runs in results.values():
        for run in runs:
            columns += [c for c in run if c not in columns]
    lines = [
        '| row | ' + ' | '.join(columns) + ' |',
        '|---|' + '---:|' * len(columns)
    ]
    for name, runs in results.items():
        cells = [
            mean_std([r[c] for r in runs if c in r]) if any(
                c in r for r in runs) else '-' for c in columns
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return (f'mean ± std over seeds {list(seeds)}\n\n' + '\n'.join(lines) +
            '\n')


def slug(text: str) -> str:
    """A row name as a folder name: lower-case alphanumerics joined by
    ``-`` (``"0.7 step 'off'"`` -> ``'0-7-step-off'``)."""
    keep = [c.lower() if c.isalnum() else '-' for c in text]
    return '-'.join(filter(None, ''.join(keep).split('-')))


def speed_table(rows: List[Dict]) -> str:
    """The rows of a speed benchmark as a Markdown table.

    Args:
        rows (list[dict]): Each with ``task``, ``impl``, ``rate`` and
            ``unit``; optional ``speedup`` or ``time_ratio`` +
            ``flop_ratio``, ``step_s`` + ``gflops`` (+ ``step_min_s``,
            ``step_max_s``), ``peak_mib`` and ``check``.

    Returns:
        str: The table, with a trailing newline.
    """
    lines = [
        '| task | implementation | throughput | vs straightforward | '
        'peak memory (MiB) | check |', '|---|---|---:|---:|---:|---|'
    ]
    for r in rows:
        ratio = ''
        if 'speedup' in r:
            ratio = f'x{r["speedup"]:.1f}'
        elif 'time_ratio' in r:
            ratio = (f'step time x{r["time_ratio"]:.3f} '
                     f'(FLOPs x{r["flop_ratio"]:.3f})')
        rate = f'{r["rate"]:.1f} {r["unit"]}'
        if 'step_s' in r:
            spread = (f', min {r["step_min_s"]:.2f} max {r["step_max_s"]:.2f}'
                      if 'step_min_s' in r else '')
            rate += (f' ({r["step_s"]:.2f} s/step{spread}, '
                     f'{r["gflops"]:.2f} GFLOPs)')
        peak = f'{r["peak_mib"]:.0f}' if 'peak_mib' in r else ''
        lines.append(f'| {r["task"]} | {r["impl"]} | {rate} | {ratio} | '
                     f'{peak} | {r.get("check", "")} |')
    return '\n'.join(lines) + '\n'
