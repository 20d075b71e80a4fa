from .hooks import (BadImageReportHook, GPPLHook, RNGStateHook,
                    find_image_loaders, generate_pseudo_labels,
                    get_rng_state, set_rng_state)

__all__ = [
    'GPPLHook', 'generate_pseudo_labels', 'RNGStateHook', 'get_rng_state',
    'set_rng_state', 'BadImageReportHook', 'find_image_loaders'
]
