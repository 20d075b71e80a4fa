"""Where a map lies on the generated benchmark: part, body, background.

The measure behind ``tools/analysis_tools/cam_part_coverage.py``; the part
and object masks come from :func:`spol_mm.benchmarks.synthetic.render_sample`
(``return_part=True``).
"""
from typing import Dict

import numpy as np

__all__ = ['region_shares']


def region_shares(score: np.ndarray, part: np.ndarray, obj: np.ndarray,
                  threshold: float) -> Dict[str, np.ndarray]:
    """Mass and above-threshold shares of a map over part / body / rest.

    Args:
        score (np.ndarray): (H, W) map, max-normalised to 1.
        part (np.ndarray): bool (H, W) part mask.
        obj (np.ndarray): bool (H, W) object mask (body | part).
        threshold (float): Foreground threshold of the map.

    Returns:
        dict: ``mass`` (3,) shares of the map's sum on part, body (object
        without part), background; ``covered`` (3,) share of each region's
        pixels with ``score >= threshold``.
    """
    regions = (part, obj & ~part, ~obj)
    total = max(float(score.sum()), 1e-12)
    above = score >= threshold
    return dict(
        mass=np.array([score[r].sum() / total for r in regions]),
        covered=np.array([above[r].mean() if r.any() else 0.
                          for r in regions]))
