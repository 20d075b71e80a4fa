"""Small helpers shared by the tests."""
from mmengine.config import ConfigDict
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope

import spol_mm  # noqa: F401  (registers the components to build)


def build_in_scope(cfg: dict, scope: str):
    """Build ``cfg`` as a config whose ``default_scope`` is ``scope`` would."""
    with DefaultScope.overwrite_default_scope(scope):
        return ROOT_MODELS.build(ConfigDict(cfg))
