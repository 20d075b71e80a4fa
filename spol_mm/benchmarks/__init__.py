"""The generated WSOL benchmarks and the tables reported on them.

- :mod:`.cub_like`: the CUB-like benchmark (class evidence over the whole
  bird, strongest on the head; CUB's object sizes; cluttered scenes).
- :mod:`.synthetic`: the one writer of both benchmarks (CUB layout + GT
  masks) and the part-only stress test; command line
  ``tools/dataset_converters/make_synthetic_wsol.py``.
- :mod:`.properties`: the benchmarks' measured properties against CUB's
  (object size, clutter, two oracle classifiers).
- :mod:`.coverage`: the share of a map on the part / body / background.
- :mod:`.tables`: the Markdown tables of results, ablations and speed.

Nothing here is registered: these are files and numbers, not components.
"""
from .coverage import region_shares
from .synthetic import (BENCHMARKS, benchmark_renderer, render_sample,
                        sample_rng, write_synthetic_wsol)
from .tables import (markdown_table, mean_std_table, pick, pick_on_val,
                     speed_table)

__all__ = [
    'region_shares', 'BENCHMARKS', 'benchmark_renderer', 'render_sample',
    'sample_rng', 'write_synthetic_wsol', 'markdown_table', 'mean_std_table',
    'pick', 'pick_on_val', 'speed_table'
]
