"""Multiplicative channel attention (MCA, paper Sec. 3.3)."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from spol_mm.registry import MODELS


@MODELS.register_module()
class MultiplicativeChannelAttention(BaseModule):
    """Re-weight the channels of N feature maps with one shared latent code.

    Each level is squeezed (global average pool -> 1x1 conv -> BN -> ReLU) to
    a ``latent_channels`` vector; the N vectors are multiplied element-wise
    into one code, so every level's gate depends on all levels. Each level is
    then gated by ``sigmoid(1x1 conv(code))``, a weight in (0, 1) per
    channel.

    Args:
        in_channels (Sequence[int]): Channels of each input level.
        latent_channels (int): Width of the shared code. Defaults to 128.
        norm_cfg (dict): Norm after each squeeze conv. Defaults to BN.
        act_cfg (dict): Activation after it. Defaults to ReLU.
        init_cfg (dict | list[dict], optional): Initialization config.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 latent_channels: int = 128,
                 norm_cfg: Dict = dict(type='BN'),
                 act_cfg: Dict = dict(type='ReLU'),
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(in_channels) < 1:
            raise ValueError('MultiplicativeChannelAttention needs >= 1 level')
        self.in_channels = list(in_channels)
        # The authors' 1x1 convs keep their bias even before BN; keeping it
        # lets their checkpoints load exactly.
        self.squeezes = nn.ModuleList(
            ConvModule(c, latent_channels, 1, bias=True, norm_cfg=norm_cfg,
                       act_cfg=act_cfg) for c in self.in_channels)
        self.excites = nn.ModuleList(
            nn.Conv2d(latent_channels, c, 1) for c in self.in_channels)

    def gates(self, feats: Sequence[Tensor]) -> List[Tensor]:
        """Channel weights in (0, 1), one (N, C_i, 1, 1) tensor per level."""
        code = None
        for feat, squeeze in zip(feats, self.squeezes):
            z = squeeze(feat.mean(dim=(2, 3), keepdim=True))
            code = z if code is None else code * z
        return [torch.sigmoid(excite(code)) for excite in self.excites]

    def forward(self, feats: Sequence[Tensor]) -> List[Tensor]:
        """Return the re-weighted maps, in the order given."""
        if len(feats) != len(self.in_channels):
            raise ValueError(f'expected {len(self.in_channels)} feature maps, '
                             f'got {len(feats)}')
        return [feat * gate for feat, gate in zip(feats, self.gates(feats))]
