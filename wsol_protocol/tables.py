"""Text tables (prettytable): the terminal metric table of the protocol's
tools and the one Markdown pipe-table writer that spol_mm's tables build
on."""
from typing import Dict, Sequence


def pipe_table(header: Sequence[str],
               rows: Sequence[Sequence[str]],
               left: Sequence[int] = (0, )) -> str:
    """A Markdown pipe table, one row per line (prettytable's Markdown
    style, columns padded to equal width): the one table writer of the
    tools' Markdown output.

    Args:
        header (Sequence[str]): Column headers (distinct).
        rows (Sequence[Sequence[str]]): The cells, as text.
        left (Sequence[int]): Left-aligned columns; the others (numbers)
            are right-aligned. Defaults to the first.

    Returns:
        str: The table, without a trailing newline.
    """
    from prettytable import PrettyTable, TableStyle
    table = PrettyTable(list(header))
    table.set_style(TableStyle.MARKDOWN)
    for i, name in enumerate(header):
        table.align[name] = 'l' if i in left else 'r'
    table.add_rows([list(r) for r in rows])
    return table.get_string()


def metric_table(metrics: Dict[str, float]) -> str:
    """Metrics as a two-column text table for the terminal (prettytable):
    accuracies with two decimals, other values (counts, thresholds) as
    they are.

    Args:
        metrics (dict): Metric name -> value.

    Returns:
        str: The table, without a trailing newline.
    """
    from prettytable import PrettyTable
    table = PrettyTable(['metric', 'value'])
    table.align['metric'] = 'l'
    table.align['value'] = 'r'
    for key, value in metrics.items():
        accuracy = key.split('/')[-1].startswith(('Max', 'PxAP', 'GT-known',
                                                  'Top-', 'fg share',
                                                  'object share'))
        table.add_row([key, f'{value:.2f}' if accuracy else f'{value:g}'])
    return table.get_string()
