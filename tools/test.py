"""Test / evaluate any spol_mm stage (or any mmpretrain / mmseg config).

The command line and what it does live in :mod:`spol_mm.utils.testing`
(``tools/analysis_tools/test_many.py`` runs many such lines in one
process)."""
import spol_mm  # noqa: F401  (registers components, `spol_mm::` configs)
from spol_mm.utils.cli import parse_runner_args
from spol_mm.utils.dist import finish_distributed
from spol_mm.utils.testing import make_test_parser, run_test


def main() -> None:
    run_test(parse_runner_args(make_test_parser()))
    finish_distributed()


if __name__ == '__main__':
    main()
