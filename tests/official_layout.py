"""The authors' SPOL network, written from official_checkpoint_layout.md.

Plain torch modules with the authors' key names and forward pass, used to
check that converted checkpoints reproduce their outputs in spol_mm.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class OfficialSPOL(nn.Module):
    """``bkbone`` + MCA (fc*/bn*) + projections (linear*/bn*) + ``linear``."""

    def __init__(self, num_outputs: int, stage: str) -> None:
        super().__init__()
        self.stage = stage
        resnet = torchvision.models.resnet50(weights=None)
        del resnet.fc
        self.bkbone = resnet
        for lvl, ch in (('3', 512), ('4', 1024), ('5', 2048)):
            setattr(self, f'fc{lvl}1', nn.Conv2d(ch, 128, 1))
            setattr(self, f'bn{lvl}1', nn.BatchNorm2d(128))
            setattr(self, f'fc{lvl}2', nn.Conv2d(128, ch, 1))
            setattr(self, f'linear{lvl}', nn.Conv2d(ch, 128, 1))
            setattr(self, f'bn{lvl}', nn.BatchNorm2d(128))
        self.linear = nn.Conv2d(128, num_outputs, 1)

    def _backbone(self, x):
        b = self.bkbone
        x = b.maxpool(b.relu(b.bn1(b.conv1(x))))
        x2 = b.layer1(x)
        x3 = b.layer2(x2)
        x4 = b.layer3(x3)
        x5 = b.layer4(x4)
        return x3, x4, x5

    def forward(self, x):
        x3, x4, x5 = self._backbone(x)
        gap = lambda t: F.adaptive_avg_pool2d(t, 1)  # noqa: E731
        v = (F.relu(self.bn51(self.fc51(gap(x5)))) *
             F.relu(self.bn41(self.fc41(gap(x4)))) *
             F.relu(self.bn31(self.fc31(gap(x3)))))
        x5 = torch.sigmoid(self.fc52(v)) * x5
        x4 = torch.sigmoid(self.fc42(v)) * x4
        x3 = torch.sigmoid(self.fc32(v)) * x3
        p5 = F.relu(self.bn5(self.linear5(x5)))
        p4 = F.relu(self.bn4(self.linear4(x4)))
        p3 = F.relu(self.bn3(self.linear3(x3)))
        size = p3.shape[-2:]
        p5 = F.interpolate(p5, size=size, mode='bilinear', align_corners=True)
        p4 = F.interpolate(p4, size=size, mode='bilinear', align_corners=True)
        out = self.linear(p5 * p4 * p3)
        return F.relu(out) if self.stage == 'cam' else out


def randomize_(module: nn.Module, seed: int = 0) -> nn.Module:
    """Random weights with realistic BN statistics, so eval-mode BN matters.

    Conv weights are He-normal and BN affine parameters random; the running
    statistics are then measured on random images (as a trained network's
    would be on data), which keeps activations of order one through all 50
    layers.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if tensor.dtype != torch.float32 or 'running' in name:
                continue
            if name.endswith('bias'):
                tensor.copy_(0.1 * torch.randn(tensor.shape, generator=gen))
            elif tensor.dim() == 1:  # BN weight
                tensor.copy_(0.5 + 0.5 * torch.rand(tensor.shape,
                                                    generator=gen))
            else:
                fan_in = tensor[0].numel()
                tensor.copy_(
                    torch.randn(tensor.shape, generator=gen) *
                    (2.0 / fan_in)**0.5)
        for bn in module.modules():
            if isinstance(bn, nn.BatchNorm2d):
                bn.reset_running_stats()
                bn.momentum = None  # cumulative average
        module.train()
        for _ in range(2):
            module(torch.randn(4, 3, 64, 64, generator=gen))
        for bn in module.modules():
            if isinstance(bn, nn.BatchNorm2d):
                bn.momentum = 0.1
    return module.eval()
