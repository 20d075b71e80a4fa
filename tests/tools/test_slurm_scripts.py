"""tools/slurm_train.sh / slurm_test.sh under a stand-in srun that starts
its tasks on this machine as SLURM would (SLURM_* variables per task)."""
import os
import subprocess
import sys

import pytest

from .runs import CONFIGS, ROOT, free_port, write_cls_folder

# Records its options, then runs the command once per --ntasks task.
FAKE_SRUN = r'''#!/usr/bin/env bash
echo "$@" > "$SRUN_LOG"
ntasks=1
while [[ $1 == --* ]]; do
  case $1 in --ntasks=*) ntasks=${1#--ntasks=};; esac
  shift
done
pids=()
for ((rank = 0; rank < ntasks; rank++)); do
  SLURM_PROCID=$rank SLURM_NTASKS=$ntasks SLURM_LOCALID=$rank "$@" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
'''


@pytest.mark.slow
def test_slurm_train_and_test_scripts(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    srun = bin_dir / 'srun'
    srun.write_text(FAKE_SRUN)
    srun.chmod(0o755)
    data = write_cls_folder(tmp_path / 'data', n=8)
    work = tmp_path / 'work'
    env = dict(os.environ, PATH=f'{bin_dir}:{os.path.dirname(sys.executable)}'
               f':{os.environ["PATH"]}', SRUN_LOG=str(tmp_path / 'srun.log'),
               GPUS='2', GPUS_PER_NODE='2', CPUS_PER_TASK='1',
               SRUN_ARGS='--quotas=x', MASTER_ADDR='127.0.0.1',
               MASTER_PORT=str(free_port()), OMP_NUM_THREADS='1')
    config = f'{CONFIGS}/tiny_cls_dist.py'
    subprocess.run([
        'bash', 'tools/slurm_train.sh', 'cpu', 'spol-test', config,
        str(work), '--cfg-options',
        f'train_dataloader.dataset.data_root={data}',
        'train_dataloader.batch_size=2', 'train_cfg.max_iters=2'
    ], cwd=ROOT, env=env, check=True, capture_output=True)
    assert (work / 'iter_2.pth').exists()
    options = (tmp_path / 'srun.log').read_text().split()
    for option in ('--partition=cpu', '--job-name=spol-test', '--gres=gpu:2',
                   '--ntasks=2', '--ntasks-per-node=2', '--cpus-per-task=1',
                   '--quotas=x', '--launcher', 'slurm'):
        assert option in options
    env['MASTER_PORT'] = str(free_port())
    out = tmp_path / 'metrics.json'
    subprocess.run([
        'bash', 'tools/slurm_test.sh', 'cpu', 'spol-test', config,
        str(work / 'iter_2.pth'), '--work-dir', str(tmp_path / 'test'),
        '--out', str(out), '--cfg-options',
        f'test_dataloader.dataset.data_root={data}'
    ], cwd=ROOT, env=env, check=True, capture_output=True)
    assert out.exists()
