"""The trivial-box reference: a centred box whatever the image shows."""
from typing import Dict, List, Optional

from mmengine.model import BaseModel
from mmpretrain.structures import DataSample
from torch import Tensor

from spol_mm.registry import MODELS
from ..functional import centred_pyramid_map
from .spol_localizer import map_box


@MODELS.register_module()
class TrivialBoxLocalizer(BaseModel):
    """A calibration reference for WSOL tables: ignores the image content.

    Every output sample gets ``score_map`` = :func:`centred_pyramid_map` of
    its network-input size (``img_shape``, else the input batch's (H, W)),
    the format :class:`SPOLLocalizer` predicts and :class:`WSOLBoxMetric`
    evaluates. Thresholding it at ``t`` gives the centred box of side
    ``(1 - t)`` times the image (``t`` near 0: the whole image), so the
    paper's metrics at a threshold chosen on ``val`` are those of the best
    centred box, and the protocol's MaxBoxAcc (best threshold on the
    evaluated set) that of the best centred box there. ``pred_bboxes`` is
    the box at ``score_threshold``, as SPOLLocalizer's. There is no
    classifier, so no ``pred_score`` (GT-known Loc only), and no weights:
    ``tools/test.py CONFIG`` runs without a checkpoint.

    Args:
        score_threshold (float): Threshold of ``pred_bboxes``. Defaults to
            0.2 (the centred box of 80 % of the image side).
        data_preprocessor (dict, optional): mmpretrain
            ``ClsDataPreprocessor`` settings (only the input size matters).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 score_threshold: float = 0.2,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.score_threshold = float(score_threshold)

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            n, _, h, w = inputs.shape
            pyramid = centred_pyramid_map(h, w, inputs.device)
            return pyramid.expand(n, h, w).clone()
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'TrivialBoxLocalizer has nothing to train; '
                           f'mode={mode!r} is not supported')

    def predict(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """The centred pyramid map and its box at ``score_threshold``."""
        if data_samples is None:
            data_samples = [DataSample() for _ in range(inputs.shape[0])]
        for sample in data_samples:
            # The image's own input frame: a padded batch is larger.
            h, w = sample.metainfo.get('img_shape', inputs.shape[-2:])[:2]
            score_map = centred_pyramid_map(int(h), int(w), inputs.device)
            sample.set_field(score_map, 'score_map')
            sample.set_field(
                map_box(score_map, score_map.shape, self.score_threshold),
                'pred_bboxes')
        return data_samples
