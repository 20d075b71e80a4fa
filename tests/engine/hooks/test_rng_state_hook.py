"""RNGStateHook's pieces: state round trip, checkpoint loading, restore point.

The end-to-end proof is test_resume_equivalence.py; these run in
milliseconds and pin down the parts it relies on.
"""
import random
from types import SimpleNamespace

import numpy as np
import torch

import spol_mm  # noqa: F401  (allow-lists mmengine checkpoint globals)
from spol_mm.engine import RNGStateHook, get_rng_state, set_rng_state
from spol_mm.engine.hooks.rng_state_hook import _RestoreBeforeFetch


def _draws():
    return (random.random(), np.random.rand(3).tolist(),
            np.random.randn(2).tolist(), torch.rand(3).tolist())


def test_state_round_trip():
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    np.random.randn()  # leaves a cached Gaussian in numpy's state
    state = get_rng_state()
    first = _draws()
    assert _draws() != first
    set_rng_state(state)
    assert _draws() == first


def test_state_survives_a_weights_only_checkpoint(tmp_path):
    state = get_rng_state()
    first = _draws()
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(rng_state=dict(version=1, states=[state])), path)
    loaded = torch.load(path, map_location='cpu', weights_only=True)
    _draws()
    set_rng_state(loaded['rng_state']['states'][0])
    assert _draws() == first


def test_restore_happens_right_before_the_first_new_batch():
    events = []

    class Batches:

        def __init__(self):
            self.i = 0

        def __next__(self):
            events.append(f'fetch {self.i}')
            self.i += 1
            return self.i - 1

    loop = SimpleNamespace(dataloader_iterator=Batches())
    inner = loop.dataloader_iterator
    loop.dataloader_iterator = _RestoreBeforeFetch(
        loop, 2, lambda: events.append('restore'))
    # mmengine's replay of 2 trained batches, then the next batch.
    assert [next(loop.dataloader_iterator) for _ in range(3)] == [0, 1, 2]
    assert events == ['fetch 0', 'fetch 1', 'restore', 'fetch 2']
    assert loop.dataloader_iterator is inner  # unwrapped after the restore


def test_nothing_restored_when_not_resuming():
    # A `load_from` start (iteration 0) keeps its fresh seeds.
    hook = RNGStateHook()
    hook.after_load_checkpoint(None, dict(rng_state=dict(
        version=1, states=[get_rng_state()])))
    runner = SimpleNamespace(iter=0, epoch=0)
    hook.before_train(runner)
    assert hook._pending is None and hook._loaded is None


def test_validation_leaves_training_randomness_alone():
    hook = RNGStateHook()
    state = get_rng_state()
    hook.before_val(None)
    _draws()  # what a validation might consume
    hook.after_val(None)
    after = _draws()
    set_rng_state(state)
    assert _draws() == after
