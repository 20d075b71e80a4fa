"""Pictures of a WSOL prediction: score-map overlay, predicted and GT boxes."""
from typing import Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmengine.dist import master_only
from mmengine.visualization import Visualizer

from spol_mm.registry import VISUALIZERS
from spol_mm.structures import largest_region_box
from spol_mm.utils.arrays import to_numpy
from .overlay import as_rgb_image, score_map_overlay, to_numpy_map

Color = Union[str, Tuple[int, int, int]]


def _array(value) -> np.ndarray:
    """A tensor / array / number / list as a float32 numpy array."""
    return np.asarray(to_numpy(value), dtype=np.float32)


def _boxes(value) -> Optional[np.ndarray]:
    """Boxes of a data sample field as float ``(N, 4)`` (None if absent or
    empty)."""
    if value is None:
        return None
    value = _array(value)
    return value.reshape(-1, 4) if value.size else None


def _color(color: Color) -> Color:
    """An RGB 0..255 triple as the tuple mmengine's drawing expects."""
    return color if isinstance(color, str) else tuple(int(c) for c in color)


def clip_boxes_for_drawing(boxes: np.ndarray,
                           image_shape: Tuple[int, int]) -> np.ndarray:
    """Boxes clipped into ``[0, w - 1] x [0, h - 1]``, so that a box on the
    image border is drawn inside the picture."""
    h, w = image_shape[:2]
    out = np.array(boxes, dtype=np.float32).reshape(-1, 4)
    out[:, 0::2] = np.clip(out[:, 0::2], 0, max(w - 1, 0))
    out[:, 1::2] = np.clip(out[:, 1::2], 0, max(h - 1, 0))
    return out


def text_size(image_shape: Tuple[int, int]) -> int:
    """Font size of the class text: a fifteenth of the shorter side,
    between 6 and 16 points."""
    return int(np.clip(min(image_shape[:2]) // 15, 6, 16))


@VISUALIZERS.register_module()
class WSOLVisualizer(Visualizer):
    """Draw a WSOL prediction: the score map (CAM or foreground
    probability) as a colour overlay, the predicted box with the class, and
    the GT box(es).

    It reads these fields of a :class:`mmpretrain.structures.DataSample`,
    all in the frame of the image it is given:

    - ``score_map``: ``(h, w)`` in ``[0, 1]`` (resized to the image when
      its size differs);
    - ``pred_bboxes``: ``(K, 4)`` ``x0, y0, x1, y1``; without it (e.g. a
      stage-1 CAM) the box of the largest region of ``score_map >
      score_threshold`` is drawn, as :class:`WSOLBoxMetric` computes it;
    - ``pred_label`` / ``pred_score``: the class text on the box;
    - ``gt_bboxes``: ``(N, 4)``.

    :meth:`visualize_cls` lets mmpretrain's ``VisualizationHook`` drive it,
    so ``tools/test.py --show-dir`` writes the pictures.

    Args:
        name (str): Instance name. Defaults to ``'visualizer'``.
        image (np.ndarray, optional): RGB image to start with.
        vis_backends (list[dict], optional): Visual backends.
        save_dir (str, optional): Save directory of the backends.
        alpha (float): Weight of the score-map colours. Defaults to 0.5.
        colormap (str): OpenCV colour map of the scores. Defaults to
            ``'jet'``.
        score_threshold (float): Threshold of the box drawn when a sample
            has no ``pred_bboxes``. Defaults to 0.2 (SPOL).
        pred_color (str | tuple): Predicted box colour (RGB 0..255 or a
            matplotlib name). Defaults to green.
        gt_color (str | tuple): GT box colour. Defaults to red.
        line_width (float): Box line width in pixels. Defaults to 3.
        fig_save_cfg (dict): Figure keywords for saving.
        fig_show_cfg (dict): Figure keywords for showing.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[list] = None,
                 save_dir: Optional[str] = None,
                 alpha: float = 0.5,
                 colormap: str = 'jet',
                 score_threshold: float = 0.2,
                 pred_color: Color = (0, 255, 0),
                 gt_color: Color = (255, 0, 0),
                 line_width: float = 3,
                 fig_save_cfg: dict = dict(frameon=False),
                 fig_show_cfg: dict = dict(frameon=False)) -> None:
        super().__init__(
            name=name,
            image=image,
            vis_backends=vis_backends,
            save_dir=save_dir,
            fig_save_cfg=fig_save_cfg,
            fig_show_cfg=fig_show_cfg)
        self.alpha = alpha
        self.colormap = colormap
        self.score_threshold = score_threshold
        self.pred_color = pred_color
        self.gt_color = gt_color
        self.line_width = line_width

    # ------------------------------------------------------------------
    def _class_text(self, data_sample, classes: Optional[Sequence[str]],
                    draw_score: bool) -> Optional[str]:
        """``'<name or index>: <score>'`` of the predicted class."""
        if data_sample.get('pred_label') is None:
            return None
        label = int(_array(data_sample.pred_label).ravel()[0])
        if classes is None:
            classes = (self.dataset_meta or {}).get('classes')
        text = str(classes[label]) if classes is not None and \
            label < len(classes) else str(label)
        score = data_sample.get('pred_score')
        if draw_score and score is not None:
            text += f': {float(_array(score).ravel()[label]):.2f}'
        return text

    def _pred_boxes(self, data_sample) -> Optional[np.ndarray]:
        boxes = _boxes(data_sample.get('pred_bboxes'))
        if boxes is None and data_sample.get('pred_bboxes') is None and \
                data_sample.get('score_map') is not None:
            boxes = _boxes(largest_region_box(
                to_numpy_map(data_sample.score_map), self.score_threshold))
        return boxes

    def draw_wsol(self,
                  image: np.ndarray,
                  data_sample=None,
                  draw_gt: bool = True,
                  draw_pred: bool = True,
                  draw_score: bool = True,
                  classes: Optional[Sequence[str]] = None) -> np.ndarray:
        """Draw one picture and return it (RGB uint8).

        Args:
            image (np.ndarray): RGB image, in the frame of the sample's
                fields.
            data_sample (DataSample, optional): The prediction / annotation.
            draw_gt (bool): Draw ``gt_bboxes``. Defaults to True.
            draw_pred (bool): Draw the score map, the box and the class.
                Defaults to True.
            draw_score (bool): Add the class score to the text.
            classes (Sequence[str], optional): Class names; else the
                ``dataset_meta`` classes, else the index.

        Returns:
            np.ndarray: RGB uint8 ``(H, W, 3)``.
        """
        image = as_rgb_image(image)
        if data_sample is not None and draw_pred and \
                data_sample.get('score_map') is not None:
            image = score_map_overlay(image, data_sample.score_map,
                                      self.alpha, self.colormap)
        self.set_image(image)
        if data_sample is None:
            return self.get_image()
        gt = _boxes(data_sample.get('gt_bboxes')) if draw_gt else None
        if gt is not None:
            self.draw_bboxes(clip_boxes_for_drawing(gt, image.shape),
                             edge_colors=_color(self.gt_color),
                             line_widths=self.line_width, alpha=1.0)
        if draw_pred:
            boxes = self._pred_boxes(data_sample)
            if boxes is not None:
                self.draw_bboxes(
                    clip_boxes_for_drawing(boxes, image.shape),
                    edge_colors=_color(self.pred_color),
                    line_widths=self.line_width, alpha=1.0)
            text = self._class_text(data_sample, classes, draw_score)
            if text is not None:
                x, y = (boxes[0, :2] if boxes is not None else (0, 0))
                self.draw_texts(
                    text, np.array([max(float(x), 0.), max(float(y), 0.)]),
                    colors='white', font_sizes=text_size(image.shape),
                    vertical_alignments='top',
                    bboxes=dict(facecolor='black', alpha=0.6, pad=1,
                                edgecolor='none'))
        return self.get_image()

    @master_only
    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample=None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0,
                       draw_score: bool = True,
                       classes: Optional[Sequence[str]] = None) -> None:
        """Draw a sample, then show it, write it to ``out_file`` or hand it
        to the backends.

        Args:
            name (str): Image name (backends' key, window title).
            image (np.ndarray): RGB image in the sample's frame.
            data_sample (DataSample, optional): See the class docstring.
            draw_gt (bool): Draw the GT boxes. Defaults to True.
            draw_pred (bool): Draw the prediction. Defaults to True.
            show (bool): Show the picture in a window. Defaults to False.
            wait_time (float): Seconds to show it (0: until a key).
            out_file (str, optional): Write the picture here (PNG, ...)
                instead of to the backends.
            step (int): Global step of the backends. Defaults to 0.
            draw_score (bool): Add the class score to the text.
            classes (Sequence[str], optional): Class names.
        """
        drawn = self.draw_wsol(image, data_sample, draw_gt, draw_pred,
                               draw_score, classes)
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(drawn[..., ::-1], out_file)
        else:
            self.add_image(name, drawn, step)

    @master_only
    def visualize_cls(self,
                      image: np.ndarray,
                      data_sample,
                      classes: Optional[Sequence[str]] = None,
                      draw_gt: bool = True,
                      draw_pred: bool = True,
                      draw_score: bool = True,
                      resize: Optional[int] = None,
                      rescale_factor: Optional[float] = None,
                      text_cfg: dict = dict(),
                      show: bool = False,
                      wait_time: float = 0,
                      out_file: Optional[str] = None,
                      name: str = '',
                      step: int = 0) -> np.ndarray:
        """The entry point of mmpretrain's ``VisualizationHook``.

        That hook passes the network input as the pipeline loaded it
        (BGR, ``LoadWSOLImage`` / ``LoadImageFromFile``), so it is turned to
        RGB here; the sample's fields are in that (input) frame. ``resize``,
        ``rescale_factor`` and ``text_cfg`` of mmpretrain's
        ``UniversalVisualizer`` are accepted and ignored.

        Returns:
            np.ndarray: The drawn RGB image.
        """
        self.add_datasample(
            name, as_rgb_image(image)[..., ::-1], data_sample,
            draw_gt=draw_gt, draw_pred=draw_pred, show=show,
            wait_time=wait_time, out_file=out_file, step=step,
            draw_score=draw_score, classes=classes)
        return self.get_image()
