"""SPOL's final localiser: stage-2 mask for the box, a classifier for classes
(paper Fig. 4a)."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import load_checkpoint
from mmpretrain.structures import DataSample
from torch import Tensor

from spol_mm.registry import MODELS
from spol_mm.structures import largest_region_box
from ..functional import resize_to


@MODELS.register_module()
class SPOLLocalizer(BaseModel):
    """Run the class-agnostic segmentor and a classifier on the same image.

    Both networks see the localiser's normalised input. Each output sample
    holds ``score_map`` (the foreground probability, (H, W) in the input
    frame, what :class:`WSOLBoxMetric` evaluates), ``pred_score`` /
    ``pred_label`` from the classifier (any mmpretrain classifier: its
    ``predict`` supplies the scores), and ``pred_bboxes``: the box of the
    largest region of ``score_map > score_threshold`` (x0, y0, x1, y1, input
    frame; empty when no pixel passes).

    Args:
        segmentor (dict | str): Stage-2 segmentor: a model config, or the
            path of a config file whose ``model`` to use (e.g.
            ``'configs/spol/mffnet2_r50_32e_cub.py'``). Built in the config
            file's ``default_scope``, else in mmseg's unless it names
            another ``_scope_``.
        classifier (dict | str, optional): Classifier, likewise (default
            scope mmpretrain): any mmpretrain classifier, or MFF-Net1.
            Without one the localiser is class-agnostic (GT-known Loc only).
        segmentor_checkpoint (str, optional): Loaded into the segmentor.
        classifier_checkpoint (str, optional): Loaded into the classifier.
        score_threshold (float): Foreground threshold of the box.
            Defaults to 0.2 as SPOL.
        align_corners (bool): Upsampling of the logit map to the input, as
            the authors (True).
        data_preprocessor (dict, optional): Normalisation shared by both
            networks (mmpretrain ``ClsDataPreprocessor``).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 segmentor: Union[Dict, str],
                 classifier: Optional[Union[Dict, str]] = None,
                 segmentor_checkpoint: Optional[str] = None,
                 classifier_checkpoint: Optional[str] = None,
                 score_threshold: float = 0.2,
                 align_corners: bool = True,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ClsDataPreprocessor')
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        # Each network normalises through the localiser's preprocessor.
        self.segmentor = MODELS.build(_prepare(segmentor, 'mmseg'))
        self.classifier = MODELS.build(_prepare(classifier, 'mmpretrain')) \
            if classifier is not None else None
        if hasattr(getattr(self.classifier, 'head', None), 'attach_cam'):
            # Only class scores are wanted from an MFF-Net1 classifier.
            self.classifier.head.attach_cam = None
        self.score_threshold = score_threshold
        self.align_corners = align_corners
        for net, ckpt in ((self.segmentor, segmentor_checkpoint),
                          (self.classifier, classifier_checkpoint)):
            if net is not None and ckpt is not None:
                load_checkpoint(net, ckpt, map_location='cpu', strict=True)

    def foreground_probability(self, inputs: Tensor) -> Tensor:
        """Sigmoid of the segmentor's logits upsampled to the input size.

        Returns:
            Tensor: (N, H, W) in [0, 1].
        """
        logits = self.segmentor(inputs, mode='tensor')
        logits = resize_to(logits, inputs.shape[-2:], 'bilinear',
                           self.align_corners)
        return logits[:, 0].sigmoid()

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.foreground_probability(inputs)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'SPOLLocalizer only evaluates; mode={mode!r} is '
                           'not supported (train the stages separately)')

    def predict(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Foreground map, box and classes of each image."""
        if data_samples is None:
            data_samples = [DataSample() for _ in range(inputs.shape[0])]
        if self.classifier is not None:
            data_samples = self.classifier.predict(inputs, data_samples)
        probs = self.foreground_probability(inputs)
        for sample, prob in zip(data_samples, probs):
            sample.set_field(prob, 'score_map')
            sample.set_field(
                map_box(prob, inputs.shape[-2:], self.score_threshold),
                'pred_bboxes')
        return data_samples


def map_box(score_map: Tensor, size, threshold: float) -> Tensor:
    """SPOL's box of a map: the largest region above ``threshold``.

    Args:
        score_map (Tensor): (h, w) over the input frame (resized to
            ``size`` first when it has another resolution).
        size (tuple[int, int]): The input's (H, W).
        threshold (float): The foreground threshold.

    Returns:
        Tensor: (1, 4) float32 ``x0, y0, x1, y1`` in the input frame, or
        (0, 4) when no pixel passes.
    """
    if tuple(score_map.shape[-2:]) != tuple(size):
        score_map = resize_to(score_map[None, None].float(), tuple(size),
                              'bilinear', False)[0, 0]
    box = largest_region_box(score_map.cpu().numpy(), threshold)
    return torch.as_tensor(box, dtype=torch.float32).reshape(-1, 4)


def _prepare(cfg: Union[Dict, str], scope: str) -> Dict:
    """The model config to build, in its scope, without a preprocessor."""
    if isinstance(cfg, str):
        file_cfg = Config.fromfile(cfg)
        scope = file_cfg.get('default_scope', scope)
        cfg = file_cfg.model
    cfg = dict(cfg)
    cfg.pop('data_preprocessor', None)
    cfg.setdefault('_scope_', scope)
    return cfg
