from .hooks import (GPPLHook, RNGStateHook, generate_pseudo_labels,
                    get_rng_state, set_rng_state)

__all__ = [
    'GPPLHook', 'generate_pseudo_labels', 'RNGStateHook', 'get_rng_state',
    'set_rng_state'
]
