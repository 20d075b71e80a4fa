"""spol_mm: SPOL (CVPR 2021) as an OpenMMLab plugin.

Importing the package registers every component in the registries of both
mmpretrain and mmsegmentation (see :mod:`spol_mm.registry`), lets configs
inherit ours as ``spol_mm::spol/<name>.py`` and lets mmengine resume from its
own checkpoints on torch >= 2.6 (see :mod:`spol_mm.utils.checkpoint`).
"""
from mmengine.config.utils import MODULE2PACKAGE

from .version import __version__

# `spol_mm::...` config references resolve through this table.
MODULE2PACKAGE.setdefault('spol_mm', 'spol_mm')

from . import datasets, engine, evaluation, models, pseudo_label  # noqa: E402,F401,E501
from . import visualization  # noqa: E402,F401
from . import apis  # noqa: E402,F401
from .utils import allow_mmengine_checkpoints  # noqa: E402

allow_mmengine_checkpoints()

__all__ = ['__version__']
