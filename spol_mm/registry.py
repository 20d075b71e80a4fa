"""Where spol_mm's components are registered.

SPOL spans two toolboxes: stage 1 is an mmpretrain classifier, stage 2 an
mmseg segmentor, and the same neck, datasets, hooks and metric serve both.
mmengine resolves ``type='X'`` in the registry of the config's
``default_scope``, so each spol_mm component is registered in the registry
of *both* toolboxes. A config then names it plainly (``type='MFFNeck'``)
whether its scope is ``mmpretrain`` or ``mmseg``, and no ``spol_mm.`` prefix
or extra scope is needed.
"""
from typing import Callable, Optional, Type

from mmengine.registry import Registry
from mmpretrain import registry as pretrain_registry
from mmseg import registry as seg_registry


class ToolboxRegistries:
    """Registers a class in the same-named registry of several toolboxes.

    It mirrors the part of :class:`mmengine.registry.Registry` that plugins
    use (``register_module``, ``build``, ``get``) so that it reads like one.

    Args:
        name (str): Registry name shared by the toolboxes, e.g. ``'MODELS'``.
        registries (Registry): The toolboxes' registries, mmpretrain's first.
    """

    def __init__(self, name: str, *registries: Registry) -> None:
        self.name = name
        self.registries = registries

    def register_module(self,
                        name: Optional[str] = None,
                        force: bool = False,
                        module: Optional[Type] = None) -> Callable:
        """Register ``module`` (or the decorated class) in every toolbox."""

        def _register(cls: Type) -> Type:
            for registry in self.registries:
                registry.register_module(name=name, force=force, module=cls)
            return cls

        return _register(module) if module is not None else _register

    def build(self, cfg: dict, *args, **kwargs):
        """Build from the first toolbox's registry (scope rules apply)."""
        return self.registries[0].build(cfg, *args, **kwargs)

    def get(self, key: str) -> Optional[Type]:
        """Look ``key`` up in the first toolbox's registry."""
        return self.registries[0].get(key)

    def __contains__(self, key: str) -> bool:
        return all(key in registry for registry in self.registries)

    def __repr__(self) -> str:
        scopes = ', '.join(r.scope for r in self.registries)
        return f'{type(self).__name__}({self.name}: {scopes})'


def _both(name: str) -> ToolboxRegistries:
    return ToolboxRegistries(name, getattr(pretrain_registry, name),
                             getattr(seg_registry, name))


MODELS = _both('MODELS')
DATASETS = _both('DATASETS')
TRANSFORMS = _both('TRANSFORMS')
METRICS = _both('METRICS')
HOOKS = _both('HOOKS')
VISUALIZERS = _both('VISUALIZERS')
