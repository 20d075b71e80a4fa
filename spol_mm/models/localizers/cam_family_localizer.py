"""The CAM family (CAM, Grad-CAM, Grad-CAM++, XGrad-CAM, LayerCAM,
Score-CAM, Eigen-CAM) for any mmpretrain classifier, as a localiser that
``WSOLBoxMetric`` evaluates like SPOL's."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import load_checkpoint
from mmpretrain.structures import DataSample
from torch import Tensor

from spol_mm.registry import MODELS
from spol_mm.utils.checks import check_choice
from ..functional import cam_to_logits, min_max_normalize, resize_to
from .spol_localizer import _prepare, map_box

#: Method name -> class name in the ``grad-cam`` package
#: (``pytorch_grad_cam``); ``'cam'`` is the classifier's own CAM.
CAM_METHODS = {
    'cam': None,
    'gradcam': 'GradCAM',
    'gradcam++': 'GradCAMPlusPlus',
    'xgradcam': 'XGradCAM',
    'layercam': 'LayerCAM',
    'scorecam': 'ScoreCAM',
    'eigencam': 'EigenCAM',
}

#: Backbone type -> the module whose output the head pools, ``{last}``
#: being the backbone's last ``out_indices`` entry (the map CAM methods
#: explain); other backbones default to their last normalisation layer,
#: mmpretrain's ``vis_cam.py`` rule.
TARGET_LAYERS: Dict[str, str] = {
    **{name: 'backbone.layer{last_stage}' for name in (
        'ResNet', 'ResNetV1c', 'ResNetV1d', 'ResNeXt', 'SEResNet',
        'SEResNeXt', 'Res2Net', 'ResNeSt')},
    'EfficientNet': 'backbone.layers.{last}',
    'EfficientNetLite': 'backbone.layers.{last}',
    'MobileNetV2': 'backbone.conv2',
    'ConvNeXt': 'backbone.stages.{last}',
}
# Each family's default out_indices (mmpretrain 1.2).
_DEFAULT_OUT = {'EfficientNet': 6, 'EfficientNetLite': 6, 'ConvNeXt': 3}


def default_target_layer(classifier: nn.Module, backbone_cfg: Dict) -> str:
    """The module name CAM methods explain for this backbone.

    Args:
        classifier (nn.Module): The built classifier.
        backbone_cfg (dict): Its backbone's config (``type``,
            ``out_indices``).

    Returns:
        str: A dotted module name in ``classifier``.

    Raises:
        ValueError: The backbone has no normalisation layer to fall back on.
    """
    kind = str(backbone_cfg.get('type', '')).split('.')[-1]
    if kind in TARGET_LAYERS:
        out = backbone_cfg.get('out_indices', _DEFAULT_OUT.get(kind, 3))
        last = max(out) if isinstance(out, (list, tuple)) else int(out)
        return TARGET_LAYERS[kind].format(last=last, last_stage=last + 1)
    norms = [
        name for name, m in classifier.named_modules()
        if name.startswith('backbone.') and isinstance(
            m, (nn.modules.batchnorm._BatchNorm, nn.LayerNorm, nn.GroupNorm))
    ]
    if not norms:
        raise ValueError(f'no default CAM target layer for {kind}: give '
                         'target_layer (a module name, e.g. '
                         "'backbone.layer4')")
    return norms[-1]


def _grad_cam_method(name: str):
    """The ``grad-cam`` class of ``name`` (Score-CAM without the hooks
    during its masked passes: they would keep every pass's activations)."""
    import pytorch_grad_cam
    method = getattr(pytorch_grad_cam, CAM_METHODS[name])
    if name != 'scorecam':
        return method

    class _ScoreCAM(method):

        def get_cam_weights(self, *args, **kwargs):
            self.activations_and_grads.release()
            return super().get_cam_weights(*args, **kwargs)

    return _ScoreCAM


def linear_cam(feature_map: Tensor, weight: Tensor,
               labels: Tensor) -> Tensor:
    """CAM of a global-average-pooling + linear classifier (Zhou et al.):
    the class's weights applied to the pooled map at every position.

    Args:
        feature_map (Tensor): (N, C, h, w), the map the head pools.
        weight (Tensor): (num_classes, C) linear weights.
        labels (Tensor): (N,) the classes to explain.

    Returns:
        Tensor: (N, h, w), unnormalised (the bias, a constant, left out).
    """
    return torch.einsum('nc,nchw->nhw', weight[labels], feature_map)


class _Logits(nn.Module):
    """The classifier as ``grad-cam`` calls models: images -> logits."""

    def __init__(self, classifier: nn.Module) -> None:
        super().__init__()
        self.classifier = classifier

    def forward(self, inputs: Tensor) -> Tensor:
        out = self.classifier(inputs, mode='tensor')
        # A CAMHead returns its CAMs (N, classes, h, w); its logits are
        # their spatial means.
        return cam_to_logits(out) if out.dim() == 4 else out


@MODELS.register_module()
class CAMFamilyLocalizer(BaseModel):
    """The ground-truth class's map of a classifier by one CAM method.

    Output samples hold what :class:`SPOLLocalizer`'s hold: ``score_map``
    ((h, w) in [0, 1] over the input frame: the input's size, or a
    CAMHead's own resolution, which the metric resizes), ``pred_bboxes``
    (the largest
    region above ``score_threshold``) and the classifier's ``pred_score`` /
    ``pred_label``, so ``WSOLBoxMetric`` gives GT-known / Top-1 Loc and the
    protocol's metrics, and ``tools/test.py --out-maps`` exports the maps.

    ``'cam'`` is the classifier's own CAM: a :class:`CAMHead`'s map, or
    :func:`linear_cam` for a global-average-pooling neck with a linear head
    (``fc``). The other methods are the ``grad-cam`` package's, on
    ``target_layer``, targeting the ground-truth class (the one in each data
    sample); their maps are resized to the input (bilinear) and min-max
    normalised by that package.

    Args:
        classifier (dict | str): Any mmpretrain classifier: a model config,
            or the path of a config file whose ``model`` to use.
        method (str): One of :data:`CAM_METHODS`.
        classifier_checkpoint (str, optional): Loaded into the classifier.
        target_layer (str, optional): Dotted module name in the classifier
            (e.g. ``'backbone.layer4'``). Defaults to
            :func:`default_target_layer`.
        score_threshold (float): Threshold of ``pred_bboxes``. Defaults to
            0.2.
        scorecam_batch_size (int): Masked images per forward pass of
            Score-CAM (one pass per channel of the target layer). Defaults
            to 32.
        data_preprocessor (dict, optional): mmpretrain
            ``ClsDataPreprocessor`` settings (the classifier's own are
            replaced by these).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 classifier: Union[Dict, str],
                 method: str = 'gradcam',
                 classifier_checkpoint: Optional[str] = None,
                 target_layer: Optional[str] = None,
                 score_threshold: float = 0.2,
                 scorecam_batch_size: int = 32,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        check_choice('CAMFamilyLocalizer: method', method, CAM_METHODS)
        cfg = _prepare(classifier, 'mmpretrain')
        self.classifier = MODELS.build(cfg)
        if classifier_checkpoint is not None:
            load_checkpoint(self.classifier, classifier_checkpoint,
                            map_location='cpu', strict=True)
        self.method = method
        self.score_threshold = float(score_threshold)
        self.scorecam_batch_size = int(scorecam_batch_size)
        head = getattr(self.classifier, 'head', None)
        self._own_cam = hasattr(head, 'attach_cam')  # spol_mm's CAMHead
        if self._own_cam:
            # The head attaches its CAM only where the method is 'cam'.
            head.attach_cam = 'gt' if method == 'cam' else None
        elif method == 'cam' and not self._has_linear_cam():
            raise ValueError(
                "CAMFamilyLocalizer: method 'cam' needs a CAMHead or a "
                'GlobalAveragePooling neck with a linear head (fc); use a '
                "gradient method (e.g. 'gradcam') for this classifier")
        if method != 'cam':
            try:
                import pytorch_grad_cam  # noqa: F401
            except ImportError:
                raise ImportError(
                    f"CAMFamilyLocalizer: method {method!r} needs the "
                    "grad-cam package (pip install 'spol_mm[cam]')") from None
        self.target_layer = target_layer or default_target_layer(
            self.classifier, dict(cfg.get('backbone', {})))
        names = dict(self.classifier.named_modules())
        if self.target_layer not in names:
            raise ValueError(f'CAMFamilyLocalizer: the classifier has no '
                             f'module {self.target_layer!r}')
        self._layer = names[self.target_layer]

    def _has_linear_cam(self) -> bool:
        neck = getattr(self.classifier, 'neck', None)
        fc = getattr(getattr(self.classifier, 'head', None), 'fc', None)
        return type(neck).__name__ == 'GlobalAveragePooling' and isinstance(
            fc, nn.Linear)

    def score_maps(self, inputs: Tensor, labels: Tensor) -> Tensor:
        """The maps of ``labels`` (N,) for ``inputs`` (N, 3, H, W).

        Returns:
            Tensor: (N, H, W) in [0, 1].
        """
        if self.method == 'cam':
            with torch.no_grad():
                feats = self.classifier.backbone(inputs)[-1]
                cam = linear_cam(feats, self.classifier.head.fc.weight,
                                 labels)
            cam = resize_to(cam[:, None], inputs.shape[-2:], 'bilinear',
                            False)[:, 0]
            return min_max_normalize(cam)
        method = _grad_cam_method(self.method)
        if self.method == 'scorecam':
            # Its masked inputs are built for the whole batch at once (C
            # images per image): one image at a time.
            return torch.cat([
                self._grad_cam(method, inputs[i:i + 1], labels[i:i + 1])
                for i in range(inputs.shape[0])
            ])
        return self._grad_cam(method, inputs, labels)

    def _grad_cam(self, method, inputs: Tensor, labels: Tensor) -> Tensor:
        """One ``grad-cam`` call on a batch; the hooks released after it."""
        from pytorch_grad_cam.utils.model_targets import \
            ClassifierOutputTarget
        cam = method(_Logits(self.classifier), [self._layer])
        cam.batch_size = self.scorecam_batch_size  # read by Score-CAM only
        targets = [ClassifierOutputTarget(int(k)) for k in labels]
        # Not `with cam:`: the package's __exit__ swallows exceptions. The
        # test loop runs without gradients; the gradient methods need them
        # (the weights are not updated).
        try:
            with torch.enable_grad():
                maps = cam(input_tensor=inputs, targets=targets)
        except AttributeError as err:  # grad-cam reading a missing map
            record = cam.activations_and_grads
            if not record.activations or (cam.uses_gradients
                                          and not record.gradients):
                raise ValueError(
                    f'CAMFamilyLocalizer: the target layer '
                    f'{self.target_layer!r} gets no '
                    f'{"output" if not record.activations else "gradient"} '
                    'from the classifier (does its head use it?); set '
                    'target_layer') from err
            raise
        finally:
            cam.activations_and_grads.release()
        return torch.from_numpy(maps).to(inputs.device)

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'CAMFamilyLocalizer only evaluates; '
                           f'mode={mode!r} is not supported')

    def predict(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Classes, the ground-truth class's map and its box per image."""
        if data_samples is None or any('gt_label' not in s
                                       for s in data_samples):
            raise ValueError('CAMFamilyLocalizer maps the ground-truth '
                             'class: every data sample needs gt_label')
        with torch.no_grad():
            data_samples = self.classifier.predict(inputs, data_samples)
        if not (self.method == 'cam' and self._own_cam):
            labels = torch.stack(
                [s.gt_label.reshape(-1)[0] for s in data_samples]).long()
            for sample, score in zip(data_samples,
                                     self.score_maps(inputs, labels)):
                sample.set_field(score, 'score_map')
        for sample in data_samples:
            sample.set_field(
                map_box(sample.score_map, inputs.shape[-2:],
                        self.score_threshold), 'pred_bboxes')
        return data_samples
