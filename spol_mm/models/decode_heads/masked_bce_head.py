"""Class-agnostic foreground head of MFF-Net2 (paper Sec. 3.5, Eq. 7)."""
from typing import Dict, Optional, Sequence

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from torch import Tensor

from spol_mm.registry import MODELS
from spol_mm.utils.checks import check_choice

NORMALIZE_MODES = ('image', 'labelled')


@MODELS.register_module()
class MaskedBCEHead(BaseDecodeHead):
    """One foreground logit per pixel, BCE over labelled pixels only.

    Pseudo labels hold 1 (foreground), 0 (background) and 255 (ignore). The
    loss is mmseg's sigmoid :class:`~mmseg.models.losses.CrossEntropyLoss`
    with ``ignore_index=255``: ignored pixels get weight 0, and

    - ``normalize='image'`` divides the sum by all pixels, N x H x W, as
      Eq. 7 (``avg_non_ignore=False``);
    - ``normalize='labelled'`` divides by the labelled pixels only.

    ``tests/models/test_masked_bce_head.py`` checks both against a hand
    computation. The foreground mask is ``sigmoid(logit) > threshold``; SPOL
    uses 0.2 (mmseg's one-channel default is 0.3).

    Args:
        in_channels (int): Channels of the fused map.
        normalize (str): ``'image'`` (Eq. 7) or ``'labelled'``.
        threshold (float): Foreground threshold on the probability.
        dropout_ratio (float): Dropout before the classifier (authors 0.5).
        align_corners (bool): For upsampling logits to the label size.
        loss_decode (dict, optional): Overrides the loss built from
            ``normalize``.
        init_cfg (dict, optional): Defaults to Kaiming-normal, zero bias.
        **kwargs: Other :class:`BaseDecodeHead` arguments.
    """

    def __init__(self,
                 in_channels: int,
                 normalize: str = 'image',
                 threshold: float = 0.2,
                 dropout_ratio: float = 0.5,
                 align_corners: bool = True,
                 in_index: int = -1,
                 loss_decode: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = dict(
                     type='Kaiming', mode='fan_in', nonlinearity='relu',
                     bias=0., override=dict(name='conv_seg')),
                 **kwargs) -> None:
        check_choice('normalize', normalize, NORMALIZE_MODES)
        if loss_decode is None:
            loss_decode = dict(
                type='CrossEntropyLoss',
                use_sigmoid=True,
                avg_non_ignore=normalize == 'labelled',
                loss_weight=1.0)
        super().__init__(
            in_channels,
            in_channels,
            num_classes=2,
            out_channels=1,
            threshold=threshold,
            dropout_ratio=dropout_ratio,
            align_corners=align_corners,
            in_index=in_index,
            ignore_index=255,
            loss_decode=loss_decode,
            init_cfg=init_cfg,
            **kwargs)
        self.normalize = normalize

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Foreground logits (N, 1, h, w) of the fused map."""
        return self.cls_seg(self._transform_inputs(inputs))
