"""Distributed runs on machines without GPUs."""
import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.dist import is_distributed


def setup_launcher(cfg: Config) -> None:
    """Prepare ``cfg`` for its launcher when no CUDA device exists.

    mmengine 0.10.7 assumes a GPU per process: ``init_dist`` calls
    ``torch.cuda.set_device`` and the runner wraps the model in DDP with
    ``device_ids=[LOCAL_RANK]``. On CPU we start the gloo process group from
    the ``torchrun`` environment ourselves (the runner then skips
    ``init_dist``) and wrap the model without device ids. With GPUs, or
    without a launcher, nothing changes.

    Args:
        cfg (Config): The full config; ``cfg.launcher`` is read.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    if cfg.launcher != 'pytorch':
        raise NotImplementedError(
            f'launcher={cfg.launcher!r} without CUDA: use `--launcher '
            'pytorch` (tools/dist_train.sh) for CPU runs')
    if not is_distributed():
        torch_dist.init_process_group(backend='gloo', init_method='env://')
    wrapper = cfg.get('model_wrapper_cfg', None) or dict(
        type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
