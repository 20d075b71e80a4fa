"""GPPL: Gaussian prior pseudo labels from CAMs (paper Sec. 3.4)."""
from .config import (BACKGROUND, FG_READINGS, FOREGROUND, IGNORE_INDEX, MODES,
                     GPPLConfig)
from .gaussian import (GaussianMoments, cam_denominators, coordinate_marginals,
                       foreground_weights, gaussian_map,
                       moments_from_marginals, normalize_cams,
                       paper_gaussian_prior, paper_moments, scale_moments,
                       weighted_moments)
from .gt_masks import (DEFAULT_LABEL_SIZE, gt_mask_entries,
                       gt_mask_label_params, gt_mask_to_label,
                       load_gt_mask_label, write_gt_mask_labels)
from .io import (atomic_write_bytes, label_path, write_label_png,
                 write_label_pngs)
from .labels import (double_threshold, enhance_cams, gaussian_prior,
                     gppl_labels)
from .meta import (GT_MASK_SOURCE, META_FILENAME, check_pseudo_label_meta,
                   check_resumable, img_ids_checksum, meta_mismatches,
                   read_pseudo_label_meta, regenerate_hint,
                   write_pseudo_label_meta)
from .reference import gppl_labels_numpy_reference
from .quality import (COUNT_NAMES, GPPL_SETTINGS, QUALITY_NAMES,
                      label_counts, label_quality)
from .released import band_regions, released_gaussian_prior

__all__ = [
    'BACKGROUND', 'FG_READINGS', 'FOREGROUND', 'IGNORE_INDEX', 'MODES',
    'GPPLConfig', 'GaussianMoments', 'cam_denominators',
    'coordinate_marginals', 'moments_from_marginals', 'foreground_weights',
    'gaussian_map', 'normalize_cams', 'paper_gaussian_prior', 'paper_moments',
    'scale_moments', 'weighted_moments', 'atomic_write_bytes', 'label_path',
    'write_label_png', 'write_label_pngs', 'double_threshold', 'enhance_cams',
    'gaussian_prior', 'gppl_labels',
    'META_FILENAME', 'check_pseudo_label_meta', 'check_resumable',
    'img_ids_checksum',
    'meta_mismatches', 'read_pseudo_label_meta', 'write_pseudo_label_meta',
    'GT_MASK_SOURCE', 'regenerate_hint', 'DEFAULT_LABEL_SIZE',
    'gt_mask_label_params', 'gt_mask_to_label', 'write_gt_mask_labels',
    'gt_mask_entries', 'load_gt_mask_label', 'COUNT_NAMES', 'GPPL_SETTINGS',
    'QUALITY_NAMES', 'label_counts', 'label_quality',
    'gppl_labels_numpy_reference', 'band_regions', 'released_gaussian_prior'
]
