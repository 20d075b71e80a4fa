"""The generated WSOL benchmark and the tables reported on it.

- :mod:`.synthetic`: the generator of the synthetic WSOL data set (CUB
  layout + GT masks); command line ``tools/dataset_converters/
  make_synthetic_wsol.py``.
- :mod:`.coverage`: the share of a map on the part / body / background.
- :mod:`.tables`: the Markdown tables of results, ablations and speed.

Nothing here is registered: these are files and numbers, not components.
"""
from .coverage import region_shares
from .synthetic import render_sample, sample_rng, write_synthetic_wsol
from .tables import markdown_table, mean_std_table, pick, speed_table

__all__ = [
    'region_shares', 'render_sample', 'sample_rng', 'write_synthetic_wsol',
    'markdown_table', 'mean_std_table', 'pick', 'speed_table'
]
