"""Classification head of MFF-Net1 whose output is the CAM (paper Sec. 3.5)."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.heads import ClsHead
# -sum(p * log_softmax(logits)) per row, mean over the batch: the released
# code's distillation term (mmpretrain's loss for mixed / soft labels).
from mmpretrain.models.losses.cross_entropy_loss import soft_cross_entropy
from mmpretrain.structures import DataSample
from torch import Tensor

from spol_mm.registry import MODELS
from spol_mm.utils.checks import check_choice
from ..functional import (cam_to_logits, min_max_normalize, resize_to,
                          select_class_maps)

AUX_LOSS_MODES = ('paper', 'released', None)
ATTACH_CAM_MODES = ('pred', 'gt', None)


@MODELS.register_module()
class CAMHead(ClsHead):
    """1x1 conv classifier on the fused map; the CAM is its ReLU output.

    ``forward`` returns the CAM (N, num_classes, h, w); class logits are its
    spatial mean. The auxiliary prediction is made from the deepest projected
    map (``feats[0]`` of :class:`MFFNeck`) by the SAME classifier conv.

    ``aux_loss`` picks the training loss:

    - ``'paper'``: ``L = Lcls + Laux``, both cross-entropy with the label.
    - ``'released'``: the authors' code, ``(CE(aux, label) +
      softCE(main, softmax(aux).detach())) / 2``.
    - ``None``: ``Lcls`` alone (Table 3, "w/o aux loss").

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the fused map.
        dropout_ratio (float): Dropout before the classifier in training.
            Defaults to 0.5 as the authors.
        aux_loss (str | None): See above. Defaults to ``'paper'``.
        attach_cam (str | None): ``predict`` stores the CAM of the predicted
            (``'pred'``) or ground-truth (``'gt'``) class in each data sample:
            ``cam`` (h, w) as computed, and ``score_map``, the CAM resized to
            the sample's ``img_shape`` (bilinear, as ``cv2.resize``) and
            min-max normalised to [0, 1], which :class:`WSOLBoxMetric`
            evaluates. Defaults to None.
        loss (dict): Classification loss. Defaults to cross-entropy.
        topk (int | Sequence[int]): Top-k accuracy in training logs.
        cal_acc (bool): Whether to log training accuracy.
        init_cfg (dict, optional): Defaults to Kaiming-normal, zero bias.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 dropout_ratio: float = 0.5,
                 aux_loss: Optional[str] = 'paper',
                 attach_cam: Optional[str] = None,
                 loss: Dict = dict(type='CrossEntropyLoss', loss_weight=1.0),
                 topk: Sequence[int] = (1, ),
                 cal_acc: bool = False,
                 init_cfg: Optional[Dict] = dict(
                     type='Kaiming', layer='Conv2d', mode='fan_in',
                     nonlinearity='relu', bias=0.),
                 **kwargs) -> None:
        super().__init__(loss=loss, topk=topk, cal_acc=cal_acc,
                         init_cfg=init_cfg, **kwargs)
        check_choice('aux_loss', aux_loss, AUX_LOSS_MODES)
        check_choice('attach_cam', attach_cam, ATTACH_CAM_MODES)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.aux_loss = aux_loss
        self.attach_cam = attach_cam
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 \
            else nn.Identity()
        self.classifier = nn.Conv2d(in_channels, num_classes, 1)

    def class_activation(self, feat: Tensor) -> Tensor:
        """CAM of one map: ``relu(classifier(dropout(feat)))``."""
        return F.relu(self.classifier(self.dropout(feat)))

    def forward(self, feats: Tuple[Tensor, ...]) -> Tensor:
        """The CAM of the fused map, (N, num_classes, h, w)."""
        return self.class_activation(feats[-1])

    def loss(self, feats: Tuple[Tensor, ...], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """Lcls (+ Laux) on a batch.

        Args:
            feats (tuple[Tensor]): ``(deepest_projected, fused)`` from
                :class:`MFFNeck`.
            data_samples (list[DataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_cls`` and, with an aux loss,
            ``loss_aux``.
        """
        self._check_labels(data_samples)
        logits = cam_to_logits(self(feats))
        losses = self._get_loss(logits, data_samples, **kwargs)
        losses['loss_cls'] = losses.pop('loss')
        if self.aux_loss is None:
            return losses

        deep = feats[0]
        if deep.shape[1] != self.in_channels:
            raise ValueError(
                f'the aux loss feeds the deepest projected map '
                f'({deep.shape[1]} channels) to the shared classifier built '
                f'for {self.in_channels}; with fusion="concat" set '
                'aux_loss=None')
        aux_logits = cam_to_logits(self.class_activation(deep))
        aux = self._get_loss(aux_logits, data_samples, **kwargs)['loss']
        if self.aux_loss == 'paper':
            losses['loss_aux'] = aux
        else:
            # The authors' code: the fused branch imitates the deep branch.
            distill = soft_cross_entropy(logits,
                                         aux_logits.softmax(1).detach())
            losses['loss_cls'] = distill / 2
            losses['loss_aux'] = aux / 2
        return losses

    def _check_labels(self, data_samples: List[DataSample]) -> None:
        """A wrong ``num_classes`` fails here, not deep inside the loss."""
        bad = torch.stack([((s.gt_label < 0) |
                            (s.gt_label >= self.num_classes)).any()
                           for s in data_samples])
        if not bool(bad.any()):  # one device sync per batch
            return
        sample = data_samples[int(bad.nonzero()[0])]
        where = sample.metainfo.get('img_path', 'a training image')
        raise ValueError(
            f'{where}: class {sample.gt_label.tolist()} is outside the '
            f'{self.num_classes} classes of {type(self).__name__}; '
            'set model.head.num_classes to the number of classes of the '
            'dataset')

    def predict(self,
                feats: Tuple[Tensor, ...],
                data_samples: Optional[List[Optional[DataSample]]] = None
                ) -> List[DataSample]:
        """Class scores from the CAM's mean, optionally with one CAM each."""
        cam = self(feats)
        predictions = self._get_predictions(cam_to_logits(cam), data_samples)
        if self.attach_cam is None:
            return predictions
        if self.attach_cam == 'pred':
            labels = cam.new_tensor(
                [int(p.pred_label) for p in predictions]).long()
        else:
            labels = cam.new_tensor(
                [int(p.gt_label) for p in predictions]).long()
        for sample, class_map in zip(predictions,
                                     select_class_maps(cam, labels)):
            size = sample.get('img_shape', class_map.shape)[:2]
            score = resize_to(class_map[None, None], size, 'bilinear',
                              align_corners=False)[0, 0]
            sample.set_field(class_map, 'cam')
            sample.set_field(min_max_normalize(score), 'score_map')
        return predictions
