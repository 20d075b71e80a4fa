from .bad_image_hook import BadImageReportHook, find_image_loaders
from .gppl_hook import GPPLHook, generate_pseudo_labels
from .rng_state_hook import RNGStateHook, get_rng_state, set_rng_state

__all__ = [
    'GPPLHook', 'generate_pseudo_labels', 'RNGStateHook', 'get_rng_state',
    'set_rng_state', 'BadImageReportHook', 'find_image_loaders'
]
