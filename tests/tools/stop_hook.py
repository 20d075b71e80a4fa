"""A test-only hook that ends training early, as if the job were killed.

Lowering ``max_iters`` / ``max_epochs`` instead would also change the
default ``end`` of the param schedulers, which a resumed run then inherits
from the checkpoint.
"""
from typing import Optional

from mmengine.hooks import Hook

from spol_mm.registry import HOOKS


@HOOKS.register_module()
class StopTrainingHook(Hook):
    """Stop after ``iters`` iterations or ``epochs`` epochs (None: never).

    It runs after the checkpoint hook, so the checkpoint of that step is
    written first.

    Args:
        iters (int, optional): Stop once this many iterations are done.
        epochs (int, optional): Stop once this many epochs are done.
    """

    priority = 'LOWEST'

    def __init__(self,
                 iters: Optional[int] = None,
                 epochs: Optional[int] = None) -> None:
        self.iters = iters
        self.epochs = epochs

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self.iters is not None and runner.iter + 1 >= self.iters:
            runner.train_loop.stop_training = True

    def after_train_epoch(self, runner) -> None:
        if self.epochs is not None and runner.epoch + 1 >= self.epochs:
            runner.train_loop.stop_training = True
