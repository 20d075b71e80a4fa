from .masked_bce_head import MaskedBCEHead

__all__ = ['MaskedBCEHead']
