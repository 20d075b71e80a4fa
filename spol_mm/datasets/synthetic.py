"""Moved to :mod:`spol_mm.benchmarks.synthetic`: it writes files, it is
not a dataset. This name re-exports its public API for existing imports
(``from spol_mm.datasets.synthetic import write_synthetic_wsol``)."""
from spol_mm.benchmarks.synthetic import *  # noqa: F401,F403
from spol_mm.benchmarks.synthetic import __all__  # noqa: F401
