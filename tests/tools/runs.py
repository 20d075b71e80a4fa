"""Start tools/train.py, tools/test.py and tools/dist_*.sh for the tests.

Single-process tool runs are forked from a server that has only imported
spol_mm (fresh processes, without the 6 s import each); the distributed
scripts run as real ``torchrun`` subprocesses.
"""
import multiprocessing
import os
import os.path as osp
import runpy
import socket
import subprocess
import sys
from multiprocessing import forkserver
from typing import Dict, List, NamedTuple, Sequence, Tuple, Union

import numpy as np
import torch
from PIL import Image

import spol_mm  # noqa: F401  (lets torch.load read mmengine checkpoints)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(ROOT, 'tests', 'data', 'configs')
TOOLS = osp.join(ROOT, 'tools')


def write_cls_folder(root, n: int, size: int = 32, seed: int = 0) -> str:
    """``n`` random ``size`` px PNGs in ``class_0`` / ``class_1`` folders."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        folder = root / f'class_{i % 2}'
        folder.mkdir(parents=True, exist_ok=True)
        img = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
        Image.fromarray(img).save(folder / f'{i}.png')
    return str(root)


def free_port() -> int:
    """A TCP port nobody listens on right now (for torchrun)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


# One thread per process: the runs share 2 cores, and the thread count
# must not change float summation order between compared runs.
_ENV = dict(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
_started = False


class ToolRun(NamedTuple):
    """``python tools/<script> <args>`` as a fresh process would run it."""
    script: str
    args: Tuple[str, ...]


def _env() -> Dict[str, str]:
    env = dict(os.environ, **_ENV)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    return env


def _forkserver() -> multiprocessing.context.BaseContext:
    """A fork server that has imported spol_mm, started once.

    A fresh interpreter spends most of a tiny run importing the stack (about
    6 of 9 CPU seconds). Children forked from a server that has done only
    the imports are fresh processes otherwise: no runner, seeds or state of
    an earlier run.
    """
    global _started
    ctx = multiprocessing.get_context('forkserver')
    if not _started:
        ctx.set_forkserver_preload(['spol_mm', 'tests.tools.stop_hook'])
        env = _env()
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            forkserver.ensure_running()
        finally:
            for key, value in saved.items():
                if value is None:
                    del os.environ[key]
                else:
                    os.environ[key] = value
        _started = True
    return ctx


def _run_tool(script: str, args: Sequence[str], log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.chdir(ROOT)
    sys.argv = [osp.join(TOOLS, script), *args]
    try:
        runpy.run_path(sys.argv[0], run_name='__main__')
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def train_cmd(config: str, work_dir, *args: str) -> ToolRun:
    """tools/train.py on a test config."""
    return ToolRun('train.py', (osp.join(CONFIGS, config), '--work-dir',
                                str(work_dir), *args))


def eval_cmd(config: str, checkpoint, *args: str) -> ToolRun:
    """tools/test.py on a test config."""
    return ToolRun('test.py',
                   (osp.join(CONFIGS, config), str(checkpoint), *args))


def dist_cmd(script: str, *args: str) -> List[str]:
    """``tools/dist_train.sh`` / ``dist_test.sh`` on a free port."""
    return ['env', f'PORT={free_port()}', 'bash', osp.join(TOOLS, script),
            *args]


def run_all(runs: Sequence[Union[ToolRun, List[str]]],
            tmp_dir: str) -> List[str]:
    """Run tools (fork server) and commands (subprocess) at the same time.

    Args:
        runs: :class:`ToolRun` s and command lines.
        tmp_dir (str): Where the tools' logs go.

    Returns:
        list[str]: Each run's output; fails the test on a non-zero exit.
    """
    started = []
    for i, run in enumerate(runs):
        if isinstance(run, ToolRun):
            log = osp.join(str(tmp_dir), f'run{i}_{os.getpid()}.log')
            proc = _forkserver().Process(
                target=_run_tool, args=(run.script, run.args, log))
            proc.start()
            started.append((run, proc, log))
        else:
            started.append((run, subprocess.Popen(
                run, cwd=ROOT, env=_env(), text=True,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT), None))
    logs = []
    for run, proc, log in started:
        if log is None:
            out = proc.communicate(timeout=300)[0]
            code = proc.returncode
        else:
            proc.join(300)
            if proc.exitcode is None:
                proc.terminate()
                proc.join()
            with open(log) as f:
                out = f.read()
            code = proc.exitcode
        assert code == 0, f'{run} exited with {code}:\n{out[-4000:]}'
        logs.append(out)
    return logs


def weights(path) -> Dict[str, torch.Tensor]:
    """The model state dict of an mmengine checkpoint."""
    return torch.load(str(path), map_location='cpu')['state_dict']


def different_tensors(a: Dict[str, torch.Tensor],
                      b: Dict[str, torch.Tensor]) -> List[str]:
    """Names whose tensors are not bit-equal (keys must match)."""
    assert a.keys() == b.keys()
    return [k for k in a if not torch.equal(a[k], b[k])]
