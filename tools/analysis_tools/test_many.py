"""Run many ``tools/test.py`` command lines in one process.

Each non-empty line of JOBS (``#`` starts a comment) is the argument list of
``tools/test.py`` in shell syntax, e.g.::

    configs/spol/cam_lite0_8e_synthetic.py ckpt.pth --out r/cam_val.json \\
        --cfg-options test_dataloader.dataset.split=val

A job whose ``--out`` file exists is skipped (so a killed run resumes);
the others run in order, each with its own runner. The imports and the
start-up (seconds per ``tools/test.py`` call) are paid once, which is what
``make demo`` needs for its 15 evaluations per seed.

Example:
    python tools/analysis_tools/test_many.py work_dirs/jobs.txt
"""
import argparse
import os.path as osp
import shlex
import sys


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('jobs', help='file of tools/test.py argument lines')
    args = parser.parse_args()
    try:
        with open(args.jobs) as f:
            lines = [ln.strip() for ln in f]
    except OSError as err:
        sys.exit(f'test_many: cannot read {args.jobs}: {err}')

    import spol_mm  # noqa: F401  (registers components)
    from spol_mm.utils.cli import parse_runner_args
    from spol_mm.utils.testing import make_test_parser, run_test, unique_name

    test_parser = make_test_parser()
    jobs = []
    for number, line in enumerate(lines, 1):
        if not line or line.startswith('#'):
            continue
        try:
            jobs.append(parse_runner_args(test_parser, shlex.split(line)))
        except (SystemExit, ValueError):
            sys.exit(f'test_many: {args.jobs}:{number}: not a tools/test.py '
                     f'command line: {line}')
    names = []
    for job in jobs:
        if job.out is not None and osp.isfile(job.out):
            continue
        label = osp.splitext(osp.basename(job.out or job.config))[0]
        print(f'==== evaluating {label} ====', flush=True)
        run_test(job, unique_name(label, names))


if __name__ == '__main__':
    main()
