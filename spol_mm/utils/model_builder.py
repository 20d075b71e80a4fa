"""Build the model of a config the way the runner would, for the tools."""
import copy
from typing import Optional

import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint


def build_model_from_config(cfg: Config,
                            checkpoint: Optional[str] = None,
                            device: str = 'cpu') -> nn.Module:
    """Build ``cfg.model`` in the config's ``default_scope``, as the runner.

    Like mmengine's ``Runner``, a top-level ``data_preprocessor`` (the
    mmpretrain convention) is given to the model unless it has its own.
    ``init_weights`` is not run (no ``Pretrained`` download): the weights
    are the modules' defaults, or the checkpoint's.

    Args:
        cfg (Config): A full config (mmpretrain or mmseg scope).
        checkpoint (str, optional): Weights to load (strict).
        device (str): Where to put the model.

    Returns:
        nn.Module: The model in eval mode.
    """
    scope = cfg.get('default_scope', None)
    model_cfg = copy.deepcopy(cfg.model)
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    with DefaultScope.overwrite_default_scope(scope):
        model = ROOT_MODELS.build(model_cfg)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    return model.to(device).eval()
