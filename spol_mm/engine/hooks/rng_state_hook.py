"""Save the random generators in checkpoints, restore them on ``--resume``.

mmengine 0.10.7 re-seeds a resumed run but does not bring back the states of
python ``random``, numpy and torch (CPU and CUDA). A resumed run therefore
draws other dropout masks and other augmentations than the uninterrupted
run would have, and ends with other weights. :class:`RNGStateHook` stores the
states in the checkpoint and sets them again at the moment the uninterrupted
run was at when the checkpoint was written.
"""
import logging
import random
from typing import Any, Callable, Dict, Iterator, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import Hook
from mmengine.logging import print_log

from spol_mm.registry import HOOKS

CHECKPOINT_KEY = 'rng_state'
STATE_VERSION = 1


def get_rng_state() -> Dict[str, Any]:
    """States of python ``random``, numpy, torch CPU and CUDA generators.

    Everything is held in python numbers, tuples and tensors, so the state
    unpickles under ``torch.load(weights_only=True)``.

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and ``cuda`` (a list, empty
        without CUDA) entries for :func:`set_rng_state`.
    """
    kind, key, pos, has_gauss, gauss = np.random.get_state()
    return dict(
        python=random.getstate(),
        numpy=dict(
            kind=str(kind),
            key=torch.from_numpy(key.astype(np.int64)),
            pos=int(pos),
            has_gauss=int(has_gauss),
            gauss=float(gauss)),
        torch=torch.get_rng_state(),
        cuda=torch.cuda.get_rng_state_all()
        if torch.cuda.is_available() else [])


def set_rng_state(state: Dict[str, Any]) -> None:
    """Set the generators to a state from :func:`get_rng_state`.

    Args:
        state (dict): The saved state. CUDA states are restored only when
            the number of visible devices is the same as when saved.
    """
    python = state['python']
    # A checkpoint may hand tuples back as lists; ``setstate`` needs tuples.
    random.setstate((python[0], tuple(python[1]), python[2]))
    numpy = state['numpy']
    np.random.set_state(
        (numpy['kind'], numpy['key'].cpu().numpy().astype(np.uint32),
         numpy['pos'], numpy['has_gauss'], numpy['gauss']))
    # ``resume`` maps the checkpoint to the training device; the generator
    # states must be CPU byte tensors.
    torch.set_rng_state(state['torch'].cpu())
    cuda = state.get('cuda') or []
    if cuda and torch.cuda.is_available() \
            and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all([s.cpu() for s in cuda])


class _RestoreBeforeFetch:
    """Wraps a loop's dataloader iterator: restore, then fetch, once.

    ``IterBasedTrainLoop.run`` (mmengine 0.10.7) replays ``loop._iter``
    batches to reach the resume position, then fetches the first batch to
    train on. The states must be set between the two, where no hook is
    called, so the iterator does it itself and then unwraps.
    """

    def __init__(self, loop: Any, skip: int, restore: Callable[[],
                                                              None]) -> None:
        self.loop = loop
        self.inner: Iterator = loop.dataloader_iterator
        self.left = skip
        self.restore = restore

    def __iter__(self) -> '_RestoreBeforeFetch':
        return self

    def __next__(self) -> Any:
        if self.left > 0:
            self.left -= 1
            return next(self.inner)
        self.restore()
        self.loop.dataloader_iterator = self.inner
        return next(self.inner)


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Makes a resumed run end with the weights of an uninterrupted one.

    **Saved** in every checkpoint under ``'rng_state'``: the python
    ``random``, numpy, torch CPU and CUDA generator states of every rank
    (a list, rank order; in distributed runs they are gathered after each
    training iteration, as the checkpoint itself is written by rank 0 only)
    and the train sampler's ``seed``.

    **Restored** only when the run resumes (``runner.iter`` or
    ``runner.epoch`` > 0 after loading; a ``load_from`` fine-tuning start
    keeps its fresh seeds), at the point the saving run was at:

    - ``IterBasedTrainLoop``: mmengine replays the ``iter`` batches already
      trained on (running their transforms again, which draws from the
      main-process generators when ``num_workers=0``), then fetches the next
      batch. The states are set right before that fetch, between the replay
      and the first transform of the new batch.
    - ``EpochBasedTrainLoop``: resumes at the start of an epoch; the states
      are set in the first ``before_train_epoch``, before the dataloader
      iterator is created (which draws torch's base seed) and before
      ``DefaultSampler`` shuffles with ``seed + epoch``.

    Validation during training is made neutral (``isolate_val``): the
    states are saved in ``before_val`` and put back in ``after_val``, since
    a run resumed from a checkpoint written before a validation would
    otherwise start from states the validation had not yet consumed.

    The resumed run then equals the uninterrupted one bit for bit (checked
    on CPU, tests/tools/test_resume_equivalence.py) when:

    - ``randomness.seed`` is fixed: the sampler and the data-loader worker
      seeds are built from it before the checkpoint is read (the sampler
      seed is reset from the checkpoint, the worker seeds cannot be), and
      ``deterministic=True`` on GPU;
    - the config, the data and the world size are unchanged;
    - epoch-based runs resume from end-of-epoch checkpoints (mmengine
      restarts an epoch cut in the middle, repeating its batches);
    - with data-loader workers (``num_workers > 0``), whose generators live
      in their own processes and are seeded by mmengine's ``worker_init_fn``:
      iteration-based loops replay the skipped batches through fresh
      workers, so their states match (with or without
      ``persistent_workers``); epoch-based loops need
      ``persistent_workers=False`` (workers re-seeded each epoch), as
      persistent workers carry their states across epochs and a resumed
      run starts new ones;
    - every random draw goes through these generators.

    The iteration-based restore point follows mmengine 0.10.7's replay of
    ``loop._iter`` batches.

    Args:
        isolate_val (bool): Give validation its own randomness (see above).
            Defaults to True.
    """

    priority = 'VERY_HIGH'

    def __init__(self, isolate_val: bool = True) -> None:
        self.isolate_val = isolate_val
        self._gathered: Optional[List[Dict[str, Any]]] = None
        self._loaded: Optional[Dict[str, Any]] = None
        self._pending: Optional[Dict[str, Any]] = None
        self._before_val: Optional[Dict[str, Any]] = None

    # -- saving ------------------------------------------------------------
    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Any = None,
                         outputs: Optional[dict] = None) -> None:
        """Gather every rank's states; rank 0 alone writes checkpoints."""
        if get_dist_info()[1] > 1:
            self._gathered = all_gather_object(get_rng_state())

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the states (and the sampler seed) in ``checkpoint``."""
        world_size = get_dist_info()[1]
        states = [get_rng_state()] if world_size == 1 else self._gathered
        if states is None:
            print_log(
                'RNGStateHook: no gathered generator states yet (checkpoint '
                'written before the first training iteration); not saved',
                logger='current', level=logging.WARNING)
            return
        checkpoint[CHECKPOINT_KEY] = dict(
            version=STATE_VERSION,
            states=states,
            sampler_seed=_sampler_seed(runner))

    # -- restoring ---------------------------------------------------------
    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved states until the run reaches the restore point."""
        self._loaded = checkpoint.get(CHECKPOINT_KEY)

    def before_train(self, runner) -> None:
        """Decide whether this start is a resume and arm the restore."""
        saved, self._loaded = self._loaded, None
        if saved is None or (runner.iter == 0 and runner.epoch == 0):
            return
        rank, world_size = get_dist_info()
        states = saved['states']
        if len(states) != world_size:
            print_log(
                f'RNGStateHook: the checkpoint holds generator states of '
                f'{len(states)} ranks but this run has {world_size}; they are '
                'not restored, so the resumed run will not repeat the '
                'uninterrupted one', logger='current', level=logging.WARNING)
            return
        _reset_sampler_seed(runner, saved.get('sampler_seed'))
        state = states[rank]
        loop = runner.train_loop
        if hasattr(loop, 'dataloader_iterator') and loop.iter > 0:
            loop.dataloader_iterator = _RestoreBeforeFetch(
                loop, loop.iter, lambda: set_rng_state(state))
            return
        self._pending = state
        if loop.iter % max(len(loop.dataloader), 1):
            print_log(
                f'RNGStateHook: resuming at iteration {loop.iter}, inside '
                f'epoch {loop.epoch + 1}: mmengine restarts that epoch, so '
                'the resumed run repeats its first batches and will not '
                'match an uninterrupted one', logger='current',
                level=logging.WARNING)

    def before_train_epoch(self, runner) -> None:
        """Epoch-based loops: restore before the epoch's iterator exists."""
        state = self._pending
        if state is not None:
            self._pending = None
            set_rng_state(state)

    # -- validation during training --------------------------------------
    def before_val(self, runner) -> None:
        """Remember the training states."""
        if self.isolate_val:
            self._before_val = get_rng_state()

    def after_val(self, runner) -> None:
        """Give training back the states it had before validating."""
        if self._before_val is not None:
            set_rng_state(self._before_val)
            self._before_val = None


def _train_sampler(runner) -> Any:
    loader = runner.train_dataloader
    return getattr(loader, 'sampler', None)


def _sampler_seed(runner) -> Optional[int]:
    seed = getattr(_train_sampler(runner), 'seed', None)
    return None if seed is None else int(seed)


def _reset_sampler_seed(runner, seed: Optional[int]) -> None:
    """Put the saved seed back into the train sampler if it changed.

    A run without a fixed ``randomness.seed`` draws a new one when it starts
    and builds the sampler with it before the checkpoint is read.
    """
    sampler = _train_sampler(runner)
    if seed is None or getattr(sampler, 'seed', seed) == seed:
        return
    print_log(
        f'RNGStateHook: train sampler seed {sampler.seed} reset to the '
        f'checkpoint\'s {seed}; data-loader workers keep the new seed, so '
        'fix `randomness.seed` for an exact resume', logger='current',
        level=logging.WARNING)
    sampler.seed = seed
