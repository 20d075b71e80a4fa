"""Two gloo processes on CPU train and evaluate like one process.

The end-to-end tests run tools/dist_train.sh and tools/dist_test.sh
(``torchrun``, 2 processes of 1 thread each, on a free port).
"""
import pickle
import sys

import pytest
import torch
from mmengine.config import Config

import spol_mm.utils.dist as dist_utils
from spol_mm.utils import build_model_from_config
from tests.tools.runs import (CONFIGS, different_tensors, dist_cmd, eval_cmd, free_port,
                   run_all, train_cmd, weights, write_cls_folder)

CONFIG = 'tiny_cls_dist.py'
# Batch-independent model: BatchNorm makes the function of a sample depend
# on the other samples of its (per-rank) batch, so the backbone's BN is
# frozen (eval mode, affine parameters still train) and the neck's BN left
# out. Both runs then compute the same maths.
SAME_MODEL = ['model.backbone.norm_eval=True', 'model.neck.norm_cfg=None']
# The runs differ only in float32 summation order: DDP averages the two
# ranks' 2-sample mean gradients, the single process takes one 4-sample
# mean, and convolutions may block a batch of 2 and of 4 differently. That
# is ~1e-7 relative per step; over 4 SGD steps we measured at most 1.5e-8
# absolute. A missing or wrong gradient all-reduce changes the weights by
# the size of an update (>= 1e-4 here, checked below), far above ATOL.
ATOL, RTOL = 1e-6, 1e-5


@pytest.mark.slow
def test_two_process_training_matches_one_process(tmp_path):
    # 16 images: 4 iterations of 4 stay in one epoch (mmengine sleeps 2 s
    # at each restart of the data loader).
    data = write_cls_folder(tmp_path / 'data', n=16)
    one, two = tmp_path / 'one', tmp_path / 'two'
    opts = [f'train_dataloader.dataset.data_root={data}', *SAME_MODEL]
    run_all([
        train_cmd(CONFIG, one, '--cfg-options', *opts),
        dist_cmd('dist_train.sh', f'{CONFIGS}/{CONFIG}', '2', '--work-dir',
                 str(two), '--cfg-options', *opts,
                 'train_dataloader.batch_size=2'),
    ], tmp_path)
    single, dist = weights(one / 'iter_4.pth'), weights(two / 'iter_4.pth')
    for name, value in single.items():
        torch.testing.assert_close(
            dist[name], value, atol=ATOL, rtol=RTOL, msg=name)
    # The check has power: training moved the weights far beyond ATOL.
    moved = different_tensors(single, weights(one / 'iter_2.pth'))
    assert moved
    assert max((single[k] - weights(one / 'iter_2.pth')[k]).abs().max()
               for k in moved) > 100 * ATOL


def _accuracy(log: str) -> str:
    line = [ln for ln in log.splitlines() if 'accuracy/top1:' in ln][-1]
    return line.split('accuracy/top1:')[1].split()[0]


@pytest.mark.slow
def test_two_process_evaluation_matches_one_process(tmp_path):
    # 7 images: the distributed sampler pads rank 1 with a repeated image,
    # which the result collection must drop again.
    data = write_cls_folder(tmp_path / 'data', n=7, seed=1)
    torch.manual_seed(0)
    model = build_model_from_config(Config.fromfile(f'{CONFIGS}/{CONFIG}'))
    model.init_weights()
    checkpoint = tmp_path / 'model.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)

    opts = ['--cfg-options', f'test_dataloader.dataset.data_root={data}']
    logs = run_all([
        eval_cmd(CONFIG, checkpoint, '--work-dir', str(tmp_path / 'one'),
                 '--out', str(tmp_path / 'one.pkl'), *opts),
        dist_cmd('dist_test.sh', f'{CONFIGS}/{CONFIG}', str(checkpoint), '2',
                 '--work-dir', str(tmp_path / 'two'), '--out',
                 str(tmp_path / 'two.pkl'), *opts),
    ], tmp_path)
    with open(tmp_path / 'one.pkl', 'rb') as f:
        single = pickle.load(f)
    with open(tmp_path / 'two.pkl', 'rb') as f:
        dist = pickle.load(f)
    assert [r['img_path'] for r in dist] == [r['img_path'] for r in single]
    assert len(single) == 7
    for a, b in zip(single, dist):
        assert int(a['pred_label']) == int(b['pred_label'])
        torch.testing.assert_close(b['pred_score'], a['pred_score'])
    # The logged metric is the same number, and it is the hand count.
    correct = sum(int(r['pred_label']) == int(r['gt_label']) for r in single)
    assert _accuracy(logs[0]) == _accuracy(logs[1])
    assert float(_accuracy(logs[0])) == pytest.approx(100 * correct / 7,
                                                      abs=1e-4)


def _launcher_cfg(**kwargs) -> Config:
    return Config(dict(launcher='pytorch', **kwargs))


def test_setup_launcher_cpu_wraps_without_device_ids(monkeypatch):
    started, at_exit = [], []
    monkeypatch.setattr(dist_utils.torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(dist_utils, 'is_distributed', lambda: False)
    monkeypatch.setattr(dist_utils.torch_dist, 'init_process_group',
                        lambda **kw: started.append(kw))
    monkeypatch.setattr(dist_utils.atexit, 'register', at_exit.append)

    cfg = _launcher_cfg(find_unused_parameters=True)
    dist_utils.setup_launcher(cfg)
    assert started == [dict(backend='gloo', init_method='env://')]
    assert at_exit == [dist_utils.destroy_process_group]
    assert cfg.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=True, device_ids=None)

    # A wrapper from the config is kept; only its device ids change.
    cfg = _launcher_cfg(model_wrapper_cfg=dict(
        type='MMDistributedDataParallel', device_ids=[0], static_graph=True))
    dist_utils.setup_launcher(cfg)
    assert cfg.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel', device_ids=None, static_graph=True)


def test_setup_launcher_leaves_other_cases_alone(monkeypatch):
    monkeypatch.setattr(dist_utils.torch_dist, 'init_process_group',
                        lambda **kw: pytest.fail('must not start a group'))
    cfg = Config(dict(launcher='none'))
    dist_utils.setup_launcher(cfg)
    assert 'model_wrapper_cfg' not in cfg

    monkeypatch.setattr(dist_utils.torch.cuda, 'is_available', lambda: True)
    cfg = _launcher_cfg()
    dist_utils.setup_launcher(cfg)
    assert 'model_wrapper_cfg' not in cfg

    monkeypatch.setattr(dist_utils.torch.cuda, 'is_available', lambda: False)
    with pytest.raises(NotImplementedError, match='slurm'):
        dist_utils.setup_launcher(Config(dict(launcher='mpi')))


def test_slurm_env_gives_the_rendezvous(monkeypatch):
    env = dict(SLURM_PROCID='3', SLURM_NTASKS='4', SLURM_LOCALID='1',
               SLURM_NODELIST='node[07-08]')
    monkeypatch.setattr(
        dist_utils.subprocess, 'run', lambda cmd, **kw: type(
            'Done', (), dict(stdout='node07\nnode08\n'))()
        if cmd == ['scontrol', 'show', 'hostnames', 'node[07-08]'] else
        pytest.fail(f'unexpected command {cmd}'))
    assert dist_utils.slurm_env(env) == dict(
        RANK='3', WORLD_SIZE='4', LOCAL_RANK='1', MASTER_PORT='29500',
        MASTER_ADDR='node07')
    env.update(MASTER_ADDR='10.0.0.1', MASTER_PORT='1234')
    assert dist_utils.slurm_env(env)['MASTER_ADDR'] == '10.0.0.1'
    assert dist_utils.slurm_env(env)['MASTER_PORT'] == '1234'
    with pytest.raises(RuntimeError, match='SLURM_LOCALID not set.*srun'):
        dist_utils.slurm_env(dict(SLURM_PROCID='0', SLURM_NTASKS='1'))


@pytest.mark.slow
def test_two_slurm_tasks_train_on_cpu(tmp_path):
    """Two processes started as srun would (SLURM_* variables) train."""
    data = write_cls_folder(tmp_path / 'data', n=8)
    port = str(free_port())
    runs = [[
        'env', f'SLURM_PROCID={rank}', 'SLURM_NTASKS=2',
        f'SLURM_LOCALID={rank}', 'MASTER_ADDR=127.0.0.1',
        f'MASTER_PORT={port}',
        sys.executable, 'tools/train.py', f'{CONFIGS}/{CONFIG}', '--work-dir',
        str(tmp_path / 'work'), '--launcher', 'slurm', '--cfg-options',
        f'train_dataloader.dataset.data_root={data}',
        'train_dataloader.batch_size=2', 'train_cfg.max_iters=2'
    ] for rank in range(2)]
    run_all(runs, tmp_path)
    assert (tmp_path / 'work' / 'iter_2.pth').exists()
