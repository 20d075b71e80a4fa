"""Multi-scale feature fusion neck of MFF-Net (paper Sec. 3.2)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from spol_mm.registry import MODELS
from spol_mm.utils.checks import check_choice
from ..functional import FUSION_MODES, fuse_feature_maps, resize_to
from ..mca import MultiplicativeChannelAttention


@MODELS.register_module()
class MFFNeck(BaseModule):
    """Fuse shallow and deep backbone levels into one map.

    The chosen levels are optionally re-weighted by
    :class:`MultiplicativeChannelAttention`, each projected by a 1x1 conv ->
    BN -> ReLU to ``channels``, upsampled to the shallowest chosen level and
    fused (element-wise product by default).

    The output is a tuple ``(deepest_projected, fused)``: the fused map is
    last, where mmpretrain heads (``feats[-1]``) and mmseg decode heads
    (``in_index=-1``) look, and the deepest projected map, at its own
    resolution, feeds the auxiliary loss of :class:`CAMHead`. Dropout belongs
    to the heads (as in mmseg decode heads), since only they know whether
    they train.

    Args:
        in_channels (Sequence[int]): Channels of the levels chosen by
            ``in_index``, shallow to deep.
        in_index (Sequence[int]): Indices of the backbone outputs to fuse,
            shallow to deep; e.g. ``(1, 2, 3)`` of a ResNet with
            ``out_indices=(0, 1, 2, 3)`` is the paper's "Fuse3".
        channels (int): Projection width. Defaults to 128.
        fusion (str): ``'mul'`` (the paper), ``'add'`` or ``'concat'``.
        use_mca (bool): Use multiplicative channel attention. Defaults to
            True.
        mca_channels (int): Latent width of MCA. Defaults to 128.
        upsample_mode (str): Interpolation mode. Defaults to ``'bilinear'``.
        align_corners (bool): As the authors, defaults to True.
        norm_cfg (dict): Norm of the projections and MCA. Defaults to BN.
        act_cfg (dict): Activation of the projections and MCA.
        init_cfg (dict | list[dict], optional): Initialization config.
            Defaults to Kaiming-normal convs (fan_in, relu) with zero bias
            and unit BN, as the authors.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 in_index: Sequence[int] = (0, 1, 2),
                 channels: int = 128,
                 fusion: str = 'mul',
                 use_mca: bool = True,
                 mca_channels: int = 128,
                 upsample_mode: str = 'bilinear',
                 align_corners: bool = True,
                 norm_cfg: Dict = dict(type='BN'),
                 act_cfg: Dict = dict(type='ReLU'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = [
                     dict(type='Kaiming', layer='Conv2d', mode='fan_in',
                          nonlinearity='relu', bias=0.),
                     dict(type='Constant', layer=['_BatchNorm'], val=1.,
                          bias=0.)
                 ]) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(in_channels) != len(in_index) or len(in_index) == 0:
            raise ValueError('in_channels and in_index must be non-empty and '
                             f'of equal length, got {list(in_channels)} and '
                             f'{list(in_index)}')
        check_choice('fusion', fusion, FUSION_MODES)
        self.in_channels = list(in_channels)
        self.in_index = list(in_index)
        self.channels = channels
        self.fusion = fusion
        self.upsample_mode = upsample_mode
        self.align_corners = align_corners
        self.mca = MultiplicativeChannelAttention(
            in_channels, mca_channels, norm_cfg=norm_cfg,
            act_cfg=act_cfg) if use_mca else None
        self.projections = nn.ModuleList(
            ConvModule(c, channels, 1, bias=True, norm_cfg=norm_cfg,
                       act_cfg=act_cfg) for c in self.in_channels)

    @property
    def out_channels(self) -> int:
        """Channels of the fused map (what the head's ``in_channels`` is)."""
        if self.fusion == 'concat':
            return self.channels * len(self.in_channels)
        return self.channels

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Fuse the chosen levels.

        Args:
            inputs (Sequence[Tensor]): The backbone's outputs.

        Returns:
            tuple[Tensor, Tensor]: The deepest projected map (N, channels,
            h_deep, w_deep) and the fused map at the shallowest chosen
            level's resolution.
        """
        feats = [inputs[i] for i in self.in_index]
        if self.mca is not None:
            feats = self.mca(feats)
        projected = [proj(x) for proj, x in zip(self.projections, feats)]
        size = projected[0].shape[-2:]
        fused = fuse_feature_maps([
            resize_to(p, size, self.upsample_mode, self.align_corners)
            for p in projected
        ], self.fusion)
        return projected[-1], fused
