"""Markdown tables of results: the metric table of ``tools/spol_table.py``,
the mean +- std table of ``tools/ablation.py`` and the speed table of
``tools/analysis_tools/bench_spol.py``.

Pure functions on plain dicts (metrics as ``tools/test.py --out`` writes
them); no torch, no OpenMMLab.
"""
import json
import re
import statistics
from typing import Dict, List, Optional, Sequence, Tuple, Union

from wsol_protocol.tables import metric_table, pipe_table

__all__ = [
    'COLUMNS', 'HEADERS', 'pick', 'pick_on_val', 'read_result_row',
    'markdown_table', 'mean_std', 'mean_std_table', 'grid_table', 'slug',
    'speed_table', 'metric_table', 'pipe_table'
]

#: The columns of :func:`markdown_table`, in this order (those that no row
#: has are left out). ``'threshold'`` is the val-chosen threshold of
#: :func:`pick_on_val`.
COLUMNS = ('Top-1 Loc', 'Top-5 Loc', 'GT-known Loc', 'MaxBoxAcc',
           'MaxBoxAccV2', 'best_threshold@50', 'PxAP', 'top1', 'top5',
           'threshold')

#: Table headers of the columns not shown under their metric name.
HEADERS = {
    'top1': 'cls top-1',
    'top5': 'cls top-5',
    'threshold': 'threshold (val)',
    # spol_mm.pseudo_label.QUALITY_NAMES (percent)
    'fg_precision': 'fg precision',
    'fg_recall': 'fg recall',
    'bg_precision': 'bg precision',
    'bg_recall': 'bg recall',
    'ignored': 'ignored (% px)',
    'fg_share': 'fg (% px)',
    'object_share': 'object (% px)',
    'labelled': 'object labelled',
}

#: A metric of ``WSOLBoxMetric``'s threshold sweep: ``<column>@<t>`` with a
#: fractional ``t`` (``GT-known Loc@0.35``; not ``MaxBoxAcc@50``, an IoU).
_SWEEP_KEY = re.compile(r'^(?P<column>.+)@(?P<t>\d*\.\d+)$')


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


def _sweep(metrics: Dict[str, float]) -> Dict[Tuple[str, float], tuple]:
    """``(column, t) -> (key, value)`` of the sweep's metrics, the prefix
    left out of ``column`` (the first key wins, as in :func:`pick`)."""
    out = {}
    for key, value in metrics.items():
        match = _SWEEP_KEY.match(key.split('/')[-1])
        if match:
            out.setdefault((match['column'], float(match['t'])), (key, value))
    return out


def pick_on_val(val_metrics: Dict[str, float],
                test_metrics: Dict[str, float],
                column: str = 'GT-known Loc') -> Tuple[float, dict]:
    """The test metrics at the sweep threshold that is best on val.

    Both dicts hold the threshold sweep of ``WSOLBoxMetric`` (keys
    ``<column>@<t>``, e.g. ``wsol/GT-known Loc@0.35``, whatever the prefix).

    Args:
        val_metrics (dict): Metrics of the val split.
        test_metrics (dict): Metrics of the test split.
        column (str): The metric to maximise on val, without prefix and
            threshold. Defaults to ``'GT-known Loc'``.

    Returns:
        tuple[float, dict]: The threshold ``t`` with the best
        ``column@t`` on val (the lowest of equal ones), and every swept
        metric of test at ``t`` under its name without ``@t`` (the key's
        prefix kept, e.g. ``wsol/Top-1 Loc``), plus ``'threshold': t``.

    Raises:
        ValueError: val has no ``column@t`` metric, or test has no swept
            metric at the chosen threshold.
    """
    val = {t: value for (name, t), (_, value) in _sweep(val_metrics).items()
           if name == column}
    if not val:
        raise ValueError(
            f'the val metrics have no threshold sweep of {column!r} (keys '
            f"like '{column}@0.20'; evaluate val with "
            'WSOLBoxMetric(threshold_sweep=...))')
    threshold = max(sorted(val), key=lambda t: val[t])  # first best = lowest
    picked = {}
    for (name, t), (key, value) in _sweep(test_metrics).items():
        if t == threshold:
            picked[key[:key.rfind('/') + 1] + name] = value  # keep prefix
    if not picked:
        raise ValueError(
            f'the test metrics have no threshold sweep at {threshold:.2f}, '
            f'the threshold chosen on val (keys like '
            f"'{column}@{threshold:.2f}'; evaluate test with the same "
            'threshold_sweep as val)')
    picked['threshold'] = threshold
    return threshold, picked


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


def markdown_table(names: List[str],
                   rows: List[Union[Dict[str, float], List[Dict[str, float]]]],
                   columns: Optional[Sequence[str]] = None,
                   corner: str = 'method') -> str:
    """Rows as a Markdown table, with the :data:`COLUMNS` any row has.

    Args:
        names (list[str]): Row names (the ``method`` column).
        rows (list): One metric dict per row, or a list of them (the runs
            of one row, e.g. one per seed: the cell is ``mean ± std``, see
            :func:`mean_std`).
        columns (Sequence[str], optional): The columns to show, in this
            order, each whether or not a row has it (metric names without
            prefix, e.g. ``'GT-known Loc'``, ``'top1'``). Defaults to None:
            the :data:`COLUMNS` that some row has.
        corner (str): The header of the names' column. Defaults to
            ``'method'``.

    Returns:
        str: The table, without a trailing newline; a missing value is
        ``-``. ``top1`` / ``top5`` / ``threshold`` are headed as in
        :data:`HEADERS` (``cls top-1``, ...).
    """
    runs = [row if isinstance(row, list) else [row] for row in rows]
    if columns is None:
        columns = [
            c for c in COLUMNS
            if any(pick(r, c) is not None for row in runs for r in row)
        ]
    header = [corner] + [HEADERS.get(c, c) for c in columns]
    body = []
    for name, row in zip(names, runs):
        cells = [name]
        for column in columns:
            values = [pick(r, column) for r in row]
            values = [v for v in values if v is not None]
            cells.append(mean_std(values) if values else '-')
        body.append(cells)
    return pipe_table(header, body)


def mean_std(values: List[float]) -> str:
    """``'mean ± std'`` (sample std) with two decimals; one value alone."""
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}'


def mean_std_table(results: Dict[str, List[Dict[str, float]]],
                   seeds: Sequence[int],
                   paper: Optional[Dict[str, Dict[str, float]]] = None) -> str:
    """One row per entry of ``results``, mean ± std over its runs.

    Args:
        results (dict): Row name -> one metric dict per seed's run.
        seeds (Sequence[int]): The seeds, for the caption.
        paper (dict, optional): Row name -> reference numbers (e.g. the
            paper's), shown as ``paper <metric>`` columns after the runs'.

    Returns:
        str: Caption, blank line and table, with a trailing newline; the
        columns are every metric of any run, in first-seen order, then
        ``runs`` when the rows have different numbers of runs.
    """
    columns = []
    for runs in results.values():
        for run in runs:
            columns += [c for c in run if c not in columns]
    references = []
    for numbers in (paper or {}).values():
        references += [c for c in numbers if c not in references]
    counts = len({len(runs) for runs in results.values()}) > 1
    header = ['row', *columns, *[f'paper {c}' for c in references],
              *['runs'] * counts]
    body = []
    for name, runs in results.items():
        cells = [
            mean_std([r[c] for r in runs if c in r]) if any(
                c in r for r in runs) else '-' for c in columns
        ]
        numbers = (paper or {}).get(name, {})
        cells += [
            f'{numbers[c]:.2f}' if c in numbers else '-' for c in references
        ]
        cells += [str(len(runs))] * counts
        body.append([name, *cells])
    return (f'mean ± std over seeds {list(seeds)}\n\n' +
            pipe_table(header, body) + '\n')


def grid_table(corner: str, rows: Sequence[str], columns: Sequence[str],
               cells: Dict[Tuple[str, str], str]) -> str:
    """A two-way Markdown table (the paper's Table 2 shape).

    Args:
        corner (str): The header of the row names' column.
        rows (Sequence[str]): Row names, top to bottom.
        columns (Sequence[str]): Column names, left to right.
        cells (dict): ``(row, column) -> text``; a missing cell is ``-``.

    Returns:
        str: The table, with a trailing newline.
    """
    body = [[row, *[cells.get((row, column), '-') for column in columns]]
            for row in rows]
    return pipe_table([corner, *columns], body) + '\n'


def slug(text: str) -> str:
    """A row name as a folder name: lower-case alphanumerics joined by
    ``-`` (``"0.7 step 'off'"`` -> ``'0-7-step-off'``)."""
    keep = [c.lower() if c.isalnum() else '-' for c in text]
    return '-'.join(filter(None, ''.join(keep).split('-')))


def _spread(row: Dict, key: str, digits: int) -> str:
    """`` (min a, max b)`` of ``row[key + '_min' / '_max']``, or ''."""
    if f'{key}_min' not in row:
        return ''
    return (f' (min {row[key + "_min"]:.{digits}f}, '
            f'max {row[key + "_max"]:.{digits}f})')


def speed_table(rows: List[Dict]) -> str:
    """The rows of a speed benchmark as a Markdown table.

    Args:
        rows (list[dict]): Each with ``task``, ``impl``, ``rate`` and
            ``unit``; optional ``rate_min`` + ``rate_max`` (the spread
            over rounds), ``speedup`` (against the task's anchor row; +
            ``speedup_min``, ``speedup_max`` over paired rounds) or
            ``time_ratio`` (+ ``time_ratio_min``, ``time_ratio_max``) +
            ``flop_ratio``, ``step_s`` + ``gflops`` (+
            ``step_min_s``, ``step_max_s``), ``peak_mib`` and ``check``.

    Returns:
        str: The table, with a trailing newline.
    """
    header = ['task', 'implementation', 'throughput', 'vs anchor',
              'peak memory (MiB)', 'check']
    body = []
    for r in rows:
        ratio = ''
        if 'speedup' in r:
            ratio = f'x{r["speedup"]:.1f}{_spread(r, "speedup", 1)}'
        elif 'time_ratio' in r:
            ratio = (f'step time x{r["time_ratio"]:.3f}'
                     f'{_spread(r, "time_ratio", 3)}, '
                     f'FLOPs x{r["flop_ratio"]:.3f}')
        rate = f'{r["rate"]:.1f} {r["unit"]}{_spread(r, "rate", 1)}'
        if 'step_s' in r:
            spread = (f', min {r["step_min_s"]:.2f} max {r["step_max_s"]:.2f}'
                      if 'step_min_s' in r else '')
            rate += (f' ({r["step_s"]:.2f} s/step{spread}, '
                     f'{r["gflops"]:.2f} GFLOPs)')
        peak = f'{r["peak_mib"]:.0f}' if 'peak_mib' in r else ''
        body.append([r['task'], r['impl'], rate, ratio, peak,
                     r.get('check', '')])
    return pipe_table(header, body, left=(0, 1, 5)) + '\n'
