from .checkpoint import allow_mmengine_checkpoints, mmengine_checkpoint_globals
from .dist import setup_launcher
from .fileio import (atomic_write_bytes, atomic_write_json, atomic_write_text,
                     remove_stale_temps)
from .model_builder import build_model_from_config

__all__ = [
    'allow_mmengine_checkpoints', 'mmengine_checkpoint_globals',
    'setup_launcher', 'build_model_from_config', 'atomic_write_bytes',
    'atomic_write_json', 'atomic_write_text', 'remove_stale_temps'
]
