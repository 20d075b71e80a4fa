"""Alias of ``tools/dataset_converters/make_synthetic_wsol.py`` (same flags,
same output, same exit status), kept for ``tools/spol_demo.sh`` and existing
scripts.

Example:
    python tools/make_synthetic_wsol.py --out data/synthetic_wsol
"""
import os
import os.path as osp
import subprocess
import sys

CONVERTER = osp.join(
    osp.dirname(osp.abspath(__file__)), 'dataset_converters',
    'make_synthetic_wsol.py')


def main() -> None:
    cmd = [sys.executable, CONVERTER, *sys.argv[1:]]
    if os.name == 'posix':
        # This process becomes the converter: its output, signals and exit
        # status are the alias's.
        os.execv(sys.executable, cmd)
    sys.exit(subprocess.call(cmd))


if __name__ == '__main__':
    main()
