"""One image through a stage-1 or stage-2 network, for analysis tools."""
from typing import Sequence

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


@torch.no_grad()
def network_score_map(model: nn.Module,
                      image: np.ndarray,
                      label: int,
                      input_size: int,
                      mean: Sequence[float] = IMAGENET_MEAN,
                      std: Sequence[float] = IMAGENET_STD) -> np.ndarray:
    """The map a network gives a whole image, at the image's size, max 1.

    The image is resized to ``input_size`` squared (no crop: the WSOL
    protocol's frame) and normalised; ``model(x, mode='tensor')`` gives
    either CAMs (N, C, h, w) of a stage-1 classifier, of which the class
    ``label``'s is taken (negative values clipped, as the GPPL hook), or
    the one-channel foreground logit of a stage-2 segmentor (its sigmoid).

    Args:
        model (nn.Module): Stage-1 classifier or stage-2 segmentor.
        image (np.ndarray): BGR uint8 (H, W, 3), as ``cv2.imread``.
        label (int): Class whose CAM to take (ignored for a segmentor).
        input_size (int): Side of the network input.
        mean (Sequence[float]): RGB mean of the normalisation.
        std (Sequence[float]): RGB std of the normalisation.

    Returns:
        np.ndarray: float32 (H, W) in [0, 1], divided by its max (an
        all-zero map stays zero).
    """
    rgb = cv2.resize(image, (input_size, input_size))[..., ::-1]
    x = (rgb - np.asarray(mean)) / np.asarray(std)
    x = torch.from_numpy(x.transpose(2, 0, 1).copy()).float()[None]
    device = next(model.parameters()).device
    out = model(x.to(device), mode='tensor')
    out = out[0] if isinstance(out, (tuple, list)) else out
    if out.shape[1] == 1:
        out = out.sigmoid()[:, 0]
    else:
        out = out[:, label].clamp(min=0)
    out = F.interpolate(
        out[:, None], size=image.shape[:2], mode='bilinear',
        align_corners=False)[0, 0].float().cpu().numpy()
    return out / max(float(out.max()), 1e-12)
