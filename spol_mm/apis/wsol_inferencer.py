"""Box, classes and foreground map of a user's images (the mm inferencer)."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import Compose, pseudo_collate
from mmengine.infer import BaseInferencer
from mmengine.registry import TRANSFORMS, DefaultScope
from mmengine.visualization import Visualizer
from mmpretrain.structures import DataSample

from spol_mm.datasets.transforms import LoadWSOLImage
from spol_mm.structures import (boxes_to_original, largest_region_box,
                                score_map_to_original)
from spol_mm.utils.arrays import to_numpy
from spol_mm.visualization import WSOLVisualizer
from .original_frame import inference_pipeline

InputType = Union[str, np.ndarray]
DEFAULT_SCORE_THRESHOLD = 0.2


def _find_score_threshold(cfg: Config) -> Optional[float]:
    """The localizer's threshold, else the test metric's, else None."""
    threshold = cfg.model.get('score_threshold')
    if threshold is not None:
        return float(threshold)
    evaluators = cfg.get('test_evaluator') or []
    if isinstance(evaluators, dict):
        evaluators = [evaluators]
    for evaluator in evaluators:
        if evaluator.get('type') == 'WSOLBoxMetric':
            return float(evaluator.get('score_threshold',
                                       DEFAULT_SCORE_THRESHOLD))
    return None


def topk_classes(scores: np.ndarray, k: int) -> List[int]:
    """Indices of the ``k`` highest scores, best first (stable on ties)."""
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind='stable')
    return [int(i) for i in order[:k]]


class WSOLInferencer(BaseInferencer):
    """Localise the object of each image with a WSOL model.

    Works with :class:`SPOLLocalizer` configs (box from the stage-2 mask,
    classes from the classifier) and with stage-1 classifiers whose head is a
    :class:`CAMHead` (box from the CAM of the predicted class: the head is
    switched to ``attach_cam='pred'``).

    The image goes through the config's test pipeline without its file
    loading and, by default (``whole_image=True``), without its crop, so the
    network sees the whole image at the test resize. Boxes and maps are
    mapped back to the ORIGINAL image (see
    :mod:`spol_mm.structures.box_frames`); with ``whole_image=False`` the
    centre crop is kept and the map is 0 outside it.

    Example:
        >>> inferencer = WSOLInferencer('configs/spol/spol_r50_cub.py',
        ...                             weights='spol_r50_cub.pth')
        >>> result = inferencer('bird.jpg', show_dir='vis/')[0]
        >>> result['bbox'], result['pred_class'], result['score_map'].shape

    Args:
        model (str | Config | dict): Config file or config.
        weights (str, optional): Checkpoint of the whole model. An
            :class:`SPOLLocalizer` can instead load its networks through its
            ``segmentor_checkpoint`` / ``classifier_checkpoint``.
        device (str, optional): ``'cpu'``, ``'cuda'``, ... Defaults to the
            available one.
        classes (Sequence[str], optional): Class names; else the
            checkpoint's ``dataset_meta``.
        whole_image (bool): Drop the test pipeline's crop. Defaults to True.
        score_threshold (float, optional): Threshold of a CAM's box (and of
            the pictures); defaults to the localizer's, else the config's
            ``WSOLBoxMetric``'s, else 0.2.
        cfg_options (dict, optional): Overrides merged into the config.
        show_progress (bool): Show a progress bar. Defaults to False.
    """
    preprocess_kwargs: set = set()
    forward_kwargs: set = set()
    visualize_kwargs: set = {
        'show', 'wait_time', 'show_dir', 'out_dir', 'draw_score'
    }
    postprocess_kwargs: set = {'topk'}

    def __init__(self,
                 model: Union[str, Config, dict],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 classes: Optional[Sequence[str]] = None,
                 whole_image: bool = True,
                 score_threshold: Optional[float] = None,
                 cfg_options: Optional[dict] = None,
                 show_progress: bool = False) -> None:
        cfg = self._load_config(model, cfg_options)
        self.whole_image = whole_image
        self.score_threshold = float(
            score_threshold if score_threshold is not None else
            _find_score_threshold(cfg) or DEFAULT_SCORE_THRESHOLD)
        self._checkpoint_meta: dict = {}
        scope = cfg.get('default_scope', 'mmpretrain')
        with DefaultScope.overwrite_default_scope(scope):
            super().__init__(model=cfg, weights=weights, device=device,
                             scope=scope, show_progress=show_progress)
        self.classes = list(classes) if classes is not None else \
            self._checkpoint_meta.get('classes')

    # ----------------------------------------------------------- setup ---
    @staticmethod
    def _load_config(model: Union[str, Config, dict],
                     cfg_options: Optional[dict]) -> Config:
        if isinstance(model, str):
            if not osp.isfile(model):
                raise FileNotFoundError(f'WSOLInferencer: config file not '
                                        f'found: {model}')
            cfg = Config.fromfile(model)
        elif isinstance(model, (Config, ConfigDict, dict)):
            cfg = Config(dict(model)) if not isinstance(model, Config) \
                else model.copy()
        else:
            raise TypeError('model must be a config file or a config, got '
                            f'{type(model)}')
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
        if cfg.get('model') is None:
            raise ValueError('WSOLInferencer: the config has no `model`')
        if cfg.get('test_dataloader') is None:
            raise ValueError('WSOLInferencer: the config has no '
                             '`test_dataloader` (its test pipeline is used)')
        head = cfg.model.get('head') or {}
        if head.get('type') == 'CAMHead':
            # The CAM of the predicted class gives the box.
            head['attach_cam'] = 'pred'
        if cfg.get('data_preprocessor') is not None:
            # As the runner does for mmpretrain configs.
            cfg.model.setdefault('data_preprocessor', cfg.data_preprocessor)
        return cfg

    def _load_weights_to_model(self, model: torch.nn.Module,
                               checkpoint: Optional[dict],
                               cfg: Optional[Config]) -> None:
        if checkpoint is None and (
                cfg.model.get('segmentor_checkpoint')
                or cfg.model.get('classifier_checkpoint')):
            return  # the localizer loaded its own networks
        super()._load_weights_to_model(model, checkpoint, cfg)
        if checkpoint is not None:
            self._checkpoint_meta = dict(
                (checkpoint.get('meta') or {}).get('dataset_meta') or {})

    def _init_pipeline(self, cfg: Config) -> Compose:
        transforms = inference_pipeline(cfg.test_dataloader.dataset.pipeline,
                                        self.whole_image)
        return Compose([TRANSFORMS.build(t) for t in transforms])

    def _init_collate(self, cfg: Config) -> Callable:
        # The data preprocessors stack a list of images themselves.
        return pseudo_collate

    def _init_visualizer(self, cfg: Config) -> Visualizer:
        kwargs = dict(cfg.get('visualizer') or {})
        if kwargs.get('type') not in ('WSOLVisualizer', WSOLVisualizer):
            kwargs = {}
        for key in ('type', '_scope_', 'name', 'vis_backends', 'save_dir'):
            kwargs.pop(key, None)
        kwargs.setdefault('score_threshold', self.score_threshold)
        # Visualizer names are global: one per inferencer.
        return WSOLVisualizer(name=f'wsol_inferencer_{id(self)}', **kwargs)

    # ------------------------------------------------------- inference ---
    @staticmethod
    def _load(input_: InputType) -> dict:
        """The pipeline's input dict of an image path or BGR array."""
        if isinstance(input_, str):
            return LoadWSOLImage()(dict(img_path=input_))
        if isinstance(input_, np.ndarray):
            img = input_ if input_.ndim == 3 else \
                np.repeat(input_[..., None], 3, axis=2)
            return dict(img=img, img_shape=img.shape[:2],
                        ori_shape=img.shape[:2])
        raise TypeError('inputs must be image paths or (H, W[, 3]) BGR '
                        f'arrays, got {type(input_)}')

    def preprocess(self, inputs: List[InputType], batch_size: int = 1,
                   **kwargs):
        pipeline = Compose([self._load, self.pipeline])
        chunks = self._get_chunk_data(map(pipeline, inputs), batch_size)
        yield from map(self.collate_fn, chunks)

    @torch.no_grad()
    def forward(self, inputs: dict, **kwargs) -> List[DataSample]:
        """Predict, then add the box and map of the original image
        (``ori_pred_bboxes``, ``ori_score_map``)."""
        preds = self.model.test_step(inputs)
        for sample in preds:
            if sample.get('score_map') is None:
                raise KeyError(
                    f'{type(self.model).__name__} gave no score_map: '
                    'WSOLInferencer needs an SPOLLocalizer or a classifier '
                    'with a CAMHead')
            score_map = to_numpy(sample.score_map).astype(np.float32)
            if sample.get('pred_bboxes') is None:
                box = largest_region_box(score_map, self.score_threshold)
                sample.set_field(torch.as_tensor(box).reshape(-1, 4),
                                 'pred_bboxes')
            meta = sample.metainfo
            sample.set_field(
                boxes_to_original(to_numpy(sample.pred_bboxes), meta),
                'ori_pred_bboxes')
            sample.set_field(score_map_to_original(score_map, meta),
                             'ori_score_map')
        return preds

    def visualize(self,
                  inputs: List[InputType],
                  preds: List[DataSample],
                  show: bool = False,
                  wait_time: float = 0,
                  show_dir: Optional[str] = None,
                  out_dir: Optional[str] = None,
                  draw_score: bool = True) -> Optional[List[np.ndarray]]:
        """Draw each image with its map, box and class (original frame).

        Args:
            inputs (list): The images as given.
            preds (list[DataSample]): From :meth:`forward`.
            show (bool): Show each picture in a window.
            wait_time (float): Seconds to show each (0: until a key).
            show_dir (str, optional): Write ``<image stem>.png`` here.
            out_dir (str, optional): Same as ``show_dir``.
            draw_score (bool): Add the class score to the text.

        Returns:
            list[np.ndarray] | None: The RGB pictures, when drawn.
        """
        out_dir = show_dir or out_dir
        if not show and out_dir is None:
            return None
        pictures = []
        for i, (input_, pred) in enumerate(zip(inputs, preds)):
            image = self._load(input_)['img'][..., ::-1]
            name = osp.splitext(osp.basename(input_))[0] \
                if isinstance(input_, str) else f'{i:06d}'
            view = DataSample()
            view.set_field(pred.ori_score_map, 'score_map')
            view.set_field(pred.ori_pred_bboxes, 'pred_bboxes')
            if pred.get('pred_label') is not None:
                view.set_pred_label(pred.pred_label)
                view.set_pred_score(pred.pred_score)
            out_file = osp.join(out_dir, f'{name}.png') if out_dir else None
            self.visualizer.add_datasample(
                name, image, view, draw_gt=False, show=show,
                wait_time=wait_time, out_file=out_file,
                draw_score=draw_score, classes=self.classes)
            if out_file is not None:
                pred.set_metainfo(dict(vis_file=out_file))
            pictures.append(self.visualizer.get_image())
        return pictures

    def postprocess(self,
                    preds: List[DataSample],
                    visualization: Optional[List[np.ndarray]] = None,
                    return_datasamples: bool = False,
                    topk: int = 5) -> Union[List[Dict], List[DataSample]]:
        """One dict per image, in original-image coordinates.

        Keys: ``bbox`` (``[x0, y0, x1, y1]`` floats, None when no pixel
        passes the threshold), ``bboxes`` (all boxes, ``(K, 4)``),
        ``score_map`` (float32 ``(H, W)`` of the original image),
        ``ori_shape``, ``img_path`` (for files); with class scores:
        ``pred_label``, ``pred_score``, ``topk_labels``, ``topk_scores``
        (``topk`` best first) and, with class names, ``pred_class`` and
        ``topk_classes``; ``vis_file`` when a picture was written.
        """
        if return_datasamples:
            return preds
        results = []
        for pred in preds:
            boxes = np.asarray(pred.ori_pred_bboxes, dtype=np.float32)
            result = dict(
                bbox=[float(v) for v in boxes[0]] if len(boxes) else None,
                bboxes=boxes,
                score_map=pred.ori_score_map,
                ori_shape=tuple(pred.ori_shape))
            for key in ('img_path', 'vis_file'):
                if pred.get(key) is not None:
                    result[key] = pred.get(key)
            if pred.get('pred_score') is not None:
                result.update(self._class_result(to_numpy(pred.pred_score),
                                                 topk))
            results.append(result)
        return results

    def _class_result(self, scores: np.ndarray, topk: int) -> dict:
        labels = topk_classes(scores, topk)
        out = dict(
            pred_label=labels[0],
            pred_score=float(scores[labels[0]]),
            topk_labels=labels,
            topk_scores=[float(scores[i]) for i in labels])
        if self.classes is not None:
            out['pred_class'] = self.classes[labels[0]]
            out['topk_classes'] = [self.classes[i] for i in labels]
        return out


__all__ = ['WSOLInferencer', 'topk_classes']
