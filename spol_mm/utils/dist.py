"""Distributed runs on machines without GPUs."""
import atexit
import gc
import os
import subprocess
from typing import Dict, Mapping

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.dist import is_distributed


# Whether setup_launcher started the default group: the only one
# finish_distributed ends. A flag, not the group: a reference to the group
# would keep it alive past destroy_process_group.
_started_group = False


def setup_launcher(cfg: Config) -> None:
    """Prepare ``cfg`` for its launcher when no CUDA device exists.

    mmengine 0.10.7 assumes a GPU per process: ``init_dist`` calls
    ``torch.cuda.set_device`` and the runner wraps the model in DDP with
    ``device_ids=[LOCAL_RANK]``. On CPU we start the gloo process group
    ourselves (the runner then skips ``init_dist``), from the ``torchrun``
    environment (``--launcher pytorch``) or from SLURM's (``--launcher
    slurm``, one task per process: see :func:`slurm_env`), and wrap the
    model without device ids. The wrapper gets
    the arguments mmengine's own GPU default uses (``broadcast_buffers=False``
    and the config's ``find_unused_parameters``), so a config trains the same
    way on CPU as on GPUs; a ``model_wrapper_cfg`` in the config is kept, with
    ``device_ids=None``. The group we start is destroyed at exit (see
    :func:`destroy_process_group`). With GPUs, or without a launcher,
    nothing changes.

    Args:
        cfg (Config): The full config; ``cfg.launcher`` is read and
            ``cfg.model_wrapper_cfg`` set.

    Raises:
        NotImplementedError: For a launcher other than ``pytorch`` and
            ``slurm`` on CPU.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    if cfg.launcher not in ('pytorch', 'slurm'):
        raise NotImplementedError(
            f'launcher={cfg.launcher!r} without CUDA: use `--launcher '
            'pytorch` (tools/dist_train.sh) or `--launcher slurm` (srun)')
    if cfg.launcher == 'slurm':
        os.environ.update(slurm_env(os.environ))
    if not is_distributed():
        torch_dist.init_process_group(backend='gloo', init_method='env://')
        atexit.register(destroy_process_group)
        global _started_group
        _started_group = True
    wrapper = cfg.get('model_wrapper_cfg', None)
    if wrapper is None:
        wrapper = dict(
            type='MMDistributedDataParallel',
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def slurm_env(env: Mapping[str, str]) -> Dict[str, str]:
    """The ``env://`` rendezvous variables of a SLURM task.

    ``RANK`` / ``WORLD_SIZE`` / ``LOCAL_RANK`` come from ``SLURM_PROCID`` /
    ``SLURM_NTASKS`` / ``SLURM_LOCALID``; ``MASTER_ADDR`` (unless set) is
    the first host of ``SLURM_NODELIST`` (``scontrol show hostnames``) and
    ``MASTER_PORT`` defaults to 29500, as mmengine does on GPUs.

    Args:
        env (Mapping[str, str]): The process environment.

    Returns:
        dict[str, str]: The variables to set.
    """
    missing = [k for k in ('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_LOCALID')
               if k not in env]
    if missing:
        raise RuntimeError(f'--launcher slurm: {", ".join(missing)} not set; '
                           'start the processes with srun')
    out = dict(
        RANK=env['SLURM_PROCID'],
        WORLD_SIZE=env['SLURM_NTASKS'],
        LOCAL_RANK=env['SLURM_LOCALID'],
        MASTER_PORT=env.get('MASTER_PORT', '29500'))
    out['MASTER_ADDR'] = env.get('MASTER_ADDR') or _first_slurm_host(env)
    return out


def _first_slurm_host(env: Mapping[str, str]) -> str:
    nodes = env.get('SLURM_NODELIST') or env.get('SLURM_JOB_NODELIST')
    if not nodes:
        raise RuntimeError('--launcher slurm: neither MASTER_ADDR nor '
                           'SLURM_NODELIST is set')
    hosts = subprocess.run(['scontrol', 'show', 'hostnames', nodes],
                           capture_output=True, text=True, check=True)
    return hosts.stdout.split()[0]


def destroy_process_group() -> None:
    """Destroy the default process group if it still exists.

    Registered with ``atexit`` for the gloo group :func:`setup_launcher`
    starts: mmengine never destroys it, and gloo's worker threads may then
    still hold tensors while the interpreter shuts down, which aborts the
    process (SIGABRT) after a finished run now and then. The group object
    itself lives on while anything refers to it (the runner's DDP wrapper,
    in a reference cycle), and its threads are then torn down with the
    interpreter ("terminate called without an active exception"), so the
    garbage is collected right after.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.destroy_process_group()
        gc.collect()


def finish_distributed() -> None:
    """End a *successful* run on the gloo group :func:`setup_launcher`
    started: wait for every rank, then :func:`destroy_process_group`.

    Call it at the end of a tool's ``main``. Without the barrier, a rank
    that finishes first (rank 1, while rank 0 still writes the results)
    closes its connections while its peer's group is still alive. Not for
    failures: a rank that raised must not wait for peers stuck in a
    collective (``atexit`` destroys its group without waiting). Groups
    started by others (mmengine's NCCL group on GPUs) are left alone, so a
    peer that failed after the last collective cannot keep the others
    waiting here.
    """
    global _started_group
    if _started_group and torch_dist.is_initialized():
        _started_group = False
        torch_dist.barrier()
        destroy_process_group()
