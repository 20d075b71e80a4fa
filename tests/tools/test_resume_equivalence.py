"""A run stopped midway and resumed ends with the uninterrupted run's weights.

Tiny MFF-Net1 (ResNet-18) on six 32 px images, batch 2, seed 0,
deterministic, dropout and RandomFlip on, a validation right after each
checkpoint (tests/data/configs/tiny_cls_resume*.py). Each case trains the
full schedule and, in parallel, the same run stopped after half of it (a
test hook ends it as a killed job would end), then resumes the half.
"""
import pytest

from .runs import (different_tensors, run_all, train_cmd, weights,
                   write_cls_folder)


def _data_args(data_root):
    return [f'train_dataloader.dataset.data_root={data_root}',
            f'val_dataloader.dataset.data_root={data_root}']


@pytest.mark.slow
def test_iter_based_resume_mid_epoch(tmp_path):
    # 6 images / batch 2 = 3 iterations an epoch: the checkpoint at
    # iteration 2 is mid-epoch and the resumed run crosses into epoch 2.
    data = write_cls_folder(tmp_path / 'data', n=6)
    full, half = tmp_path / 'full', tmp_path / 'half'
    cfg = 'tiny_cls_resume.py'
    run_all([
        train_cmd(cfg, full, '--cfg-options', *_data_args(data)),
        train_cmd(cfg, half, '--cfg-options', *_data_args(data),
                  'custom_hooks.1.iters=2'),
    ], tmp_path)
    assert not (half / 'iter_4.pth').exists()
    without = tmp_path / 'without_hook'
    without.mkdir()
    resumed_log, _ = run_all([
        train_cmd(cfg, half, '--resume', '--cfg-options', *_data_args(data)),
        # The same resume with the hook removed must NOT match, otherwise
        # this test could not tell the hook from luck.
        train_cmd(cfg, without, '--resume', str(half / 'iter_2.pth'),
                  '--cfg-options', *_data_args(data), 'custom_hooks=[]'),
    ], tmp_path)
    assert 'Advance dataloader 2 steps' in resumed_log

    expected = weights(full / 'iter_4.pth')
    assert different_tensors(weights(half / 'iter_4.pth'), expected) == []
    assert different_tensors(weights(without / 'iter_4.pth'), expected)


@pytest.mark.slow
def test_epoch_based_resume(tmp_path):
    data = write_cls_folder(tmp_path / 'data', n=6)
    full, half = tmp_path / 'full', tmp_path / 'half'
    cfg = 'tiny_cls_resume_epoch.py'
    run_all([
        train_cmd(cfg, full, '--cfg-options', *_data_args(data)),
        train_cmd(cfg, half, '--cfg-options', *_data_args(data),
                  'custom_hooks.1.epochs=2'),
    ], tmp_path)
    assert not (half / 'epoch_4.pth').exists()
    run_all([
        train_cmd(cfg, half, '--resume', '--cfg-options', *_data_args(data))
    ], tmp_path)
    assert different_tensors(
        weights(half / 'epoch_4.pth'), weights(full / 'epoch_4.pth')) == []
