"""Write a model's score maps in the WSOL protocol's layout."""
import sys
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.utils import ProgressBar

from spol_mm.registry import METRICS
from spol_mm.utils.arrays import to_numpy
from ..functional import PROTOCOL_SIZE
from ..saved_maps import save_scoremap
from .wsol_box_metric import protocol_score_map


@METRICS.register_module()
class DumpWSOLScoreMaps(BaseMetric):
    """Save each sample's ``score_map`` as ``<out_dir>/<img_id>.npy``: the
    whole image's map resized to 224 x 224 and min-max normalised, float32,
    as the protocol's reference code (and ``tools/eval_wsol.py``) reads it.

    ``tools/test.py --out-maps`` adds it to the evaluators. Each map is
    written atomically by the process that predicted it; the metric itself
    returns nothing (the saved maps are evaluated afterwards).

    Args:
        out_dir (str): The score-map folder.
        size (int): The protocol frame's side. Defaults to 224.
        total (int, optional): Maps this process will write: a progress bar
            (the main process's) counts them. Defaults to None: no bar.
        collect_device (str): See :class:`mmengine.evaluator.BaseMetric`.
        prefix (str, optional): See :class:`mmengine.evaluator.BaseMetric`.
    """
    default_prefix = 'scoremaps'

    def __init__(self,
                 out_dir: str,
                 size: int = PROTOCOL_SIZE,
                 total: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out_dir = out_dir
        self.size = int(size)
        self.total = total
        self._bar = None

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Write the maps of a batch (``img_id`` and ``score_map`` of each
        sample; the pipeline must keep the whole image)."""
        from spol_mm.models.functional import min_max_normalize
        for sample in data_samples:
            image_id = sample.get('img_id')
            if image_id is None or sample.get('score_map') is None:
                has = sorted(k for k in ('img_id', 'score_map')
                             if sample.get(k) is not None)
                raise KeyError(
                    'DumpWSOLScoreMaps: every sample needs "img_id" and '
                    f'"score_map"; {sample.get("img_path")} has {has}')
            score_map = to_numpy(sample['score_map']).astype(np.float32)
            score_map = score_map.reshape(score_map.shape[-2:])
            pmap, _ = protocol_score_map(sample, score_map, self.size)
            if pmap is None:
                raise ValueError(
                    f'DumpWSOLScoreMaps: {image_id} was cropped by the test '
                    "pipeline; the protocol's maps cover the whole image "
                    '(tools/test.py --out-maps tests in the protocol frame)')
            pmap = min_max_normalize(torch.from_numpy(pmap)).numpy()
            save_scoremap(self.out_dir, image_id, pmap)
            self.results.append(image_id)
            if self.total and is_main_process():
                if self._bar is None:
                    self._bar = ProgressBar(self.total, file=sys.stderr)
                self._bar.update()

    def compute_metrics(self, results: List[str]) -> Dict[str, float]:
        """Nothing: the written maps are evaluated afterwards."""
        self._bar = None
        return {}
