"""One image through a stage-1 or stage-2 network, for analysis tools."""
import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.no_grad()
def network_score_map(model: nn.Module, image: np.ndarray, label: int,
                      input_size: int) -> np.ndarray:
    """The map a network gives a whole image, at the image's size, max 1.

    The image is resized to ``input_size`` squared (no crop: the WSOL
    protocol's frame) and goes through the model's own data preprocessor
    (as a loaded BGR image does in a test run); ``model(x, mode='tensor')``
    gives either CAMs (N, C, h, w) of a stage-1 classifier, of which the
    class ``label``'s is taken (negative values clipped, as the GPPL hook),
    or the one-channel foreground logit of a stage-2 segmentor (its
    sigmoid).

    Args:
        model (nn.Module): Stage-1 classifier or stage-2 segmentor.
        image (np.ndarray): BGR uint8 (H, W, 3), as ``cv2.imread``.
        label (int): Class whose CAM to take (ignored for a segmentor).
        input_size (int): Side of the network input.

    Returns:
        np.ndarray: float32 (H, W) in [0, 1], divided by its max (an
        all-zero map stays zero).
    """
    resized = cv2.resize(image, (input_size, input_size))
    chw = torch.from_numpy(np.ascontiguousarray(resized.transpose(2, 0, 1)))
    x = model.data_preprocessor(dict(inputs=[chw]), False)['inputs']
    out = model(x, mode='tensor')
    out = out[0] if isinstance(out, (tuple, list)) else out
    if out.shape[1] == 1:
        out = out.sigmoid()[:, 0]
    else:
        out = out[:, label].clamp(min=0)
    out = F.interpolate(
        out[:, None], size=image.shape[:2], mode='bilinear',
        align_corners=False)[0, 0].float().cpu().numpy()
    return out / max(float(out.max()), 1e-12)
