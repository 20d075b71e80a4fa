from .mff_neck import MFFNeck

__all__ = ['MFFNeck']
