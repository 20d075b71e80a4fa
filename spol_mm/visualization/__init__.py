from .overlay import (blend, colorize_score_map, resize_score_map,
                      score_map_overlay)
from .wsol_visualizer import WSOLVisualizer

__all__ = [
    'WSOLVisualizer', 'blend', 'colorize_score_map', 'resize_score_map',
    'score_map_overlay'
]
