"""WSOL box evaluation: the paper's metrics and the standard protocol's."""
import math
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from spol_mm.registry import METRICS
from spol_mm.structures import (crop_covers_image, largest_region_box,
                                paste_crop_map, rescale_boxes_truncate,
                                resize_map, unflip_map)
from spol_mm.utils.arrays import to_numpy
from spol_mm.utils.checks import check_choice
from ..functional import (PROTOCOL_IOUS, WSOLProtocolAccumulator,
                          check_score_map, loc_accuracies, localization_hit,
                          topk_hits)
from ..functional.paper_metrics import GT_MATCHES, IOU_COMPARES

#: What to do with a map of a crop: refuse it, or paste it into the image.
CROP_MODES = ('error', 'paste')


def sweep_key(name: str, threshold: float) -> str:
    """The name of a paper metric at a threshold of the sweep, e.g.
    ``'GT-known Loc@0.20'`` (read back by
    :func:`spol_mm.benchmarks.tables.pick_on_val`)."""
    return f'{name}@{threshold:.2f}'


def check_threshold_sweep(sweep: Sequence[float]) -> Tuple[float, ...]:
    """The thresholds of ``WSOLBoxMetric(threshold_sweep=...)``, sorted and
    without repeats.

    Args:
        sweep (Sequence[float]): Thresholds in ``[0, 1)``.

    Returns:
        tuple[float, ...]: The sorted unique thresholds.

    Raises:
        ValueError: An empty sweep, a value that is no number or outside
            ``[0, 1)``, or two values with the same metric name (the names
            carry two decimals).
    """
    if isinstance(sweep, (str, bytes)) or not isinstance(sweep, Sequence):
        raise ValueError('threshold_sweep must be a sequence of thresholds '
                         f'in [0, 1), got {sweep!r}')
    values = []
    for value in sweep:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError('threshold_sweep: every threshold must be a '
                             f'number in [0, 1), got {value!r}') from None
        if not (math.isfinite(value) and 0.0 <= value < 1.0):
            raise ValueError('threshold_sweep: every threshold must be in '
                             f'[0, 1), got {value!r}')
        values.append(value)
    if not values:
        raise ValueError('threshold_sweep must hold at least one threshold '
                         '(or be None for no sweep)')
    values = sorted(set(values))
    names = [sweep_key('', t) for t in values]
    for a, b, name in zip(values, values[1:], names[1:]):
        if sweep_key('', a) == name:
            raise ValueError(f'threshold_sweep: {a!r} and {b!r} would both '
                             f'be reported as "...{name}"; give thresholds '
                             'with at most two decimals')
    return tuple(values)


def protocol_score_map(sample: dict, score_map: np.ndarray, size: int,
                       paste: bool = False
                       ) -> Tuple[Optional[np.ndarray], bool]:
    """A sample's map in the protocol's frame: the whole image, unflipped,
    resized to ``size`` x ``size``.

    Args:
        sample (dict): The data sample (``ori_shape``, ``crop_bbox``,
            ``scale_factor``, ``flip``, ``flip_direction`` as the pipeline
            left them).
        score_map (np.ndarray): (H, W) map in the input frame.
        size (int): The protocol frame's side.
        paste (bool): Where the pipeline cropped, paste the crop's map into
            the whole image (an approximation) instead of returning None.

    Returns:
        tuple: The (size, size) float32 map, or None when the pipeline
        cropped and ``paste`` is False; and whether the input covered the
        whole image.
    """
    ori_shape = tuple(sample.get('ori_shape', score_map.shape))[:2]
    covers = crop_covers_image(
        sample.get('crop_bbox'), ori_shape, sample.get('scale_factor'))
    if not covers and not paste:
        return None, covers
    if sample.get('flip'):
        score_map = unflip_map(score_map,
                               sample.get('flip_direction') or 'horizontal')
    if covers:
        return resize_map(np.ascontiguousarray(score_map),
                          (size, size)), covers
    return paste_crop_map(score_map, ori_shape, sample['crop_bbox'],
                          sample.get('scale_factor'), size), covers


@METRICS.register_module()
class WSOLBoxMetric(BaseMetric):
    """Weakly supervised object localisation accuracy from score maps.

    Each predicted sample must hold ``score_map`` ((H, W) in [0, 1], in the
    network-input frame ``img_shape``, e.g. from ``SPOLLocalizer`` or
    ``CAMHead(attach_cam='gt')``); the metainfo of ``PackWSOLInputs``
    supplies the GT.

    **The paper's metrics** (network-input frame, GT = ``gt_bboxes``): the
    box of the largest region of ``score_map > score_threshold`` (SPOL's
    rule, see :func:`largest_region_box`), continuous IoU with the GT boxes,
    correct when it passes ``iou_threshold``; an image without a box is a
    miss. ``GT-known Loc``; ``Top-k Loc`` for each ``topk`` when the sample
    has ``pred_score`` (the label must also be in the top k). A map of
    another size than ``img_shape`` is resized to it (bilinear) first.
    Images without GT boxes are left out of these (with a warning).

    **The protocol's metrics** (Choe et al., CVPR 2020; equal to its
    reference evaluator): the map of the whole image at
    ``protocol_size`` x ``protocol_size`` (the input map unflipped and
    resized bilinearly when needed), GT = ``ori_gt_bboxes`` rescaled to it
    with int() truncation. ``MaxBoxAcc`` (largest contour, IoU 50),
    ``MaxBoxAccV2`` (every contour, mean over ``protocol_ious``; with
    ``multi_contour``), ``MaxBoxAcc@<iou>`` / ``best_threshold@<iou>`` for
    each IoU (every contour with ``multi_contour``, else the largest), and
    ``PxAP`` from the ``gt_mask`` of the samples that have one. A pipeline
    that cropped (``crop_bbox`` not the whole image) has no whole-image map:
    with ``protocol_crop='error'`` this raises when ``protocol=True`` and
    leaves the protocol's metrics out (with a warning) when
    ``protocol='auto'``; ``protocol_crop='paste'`` projects the crop's map
    into the whole image, zeros elsewhere (an approximation, not the
    protocol's numbers; PxAP is then left out).

    **The threshold sweep** (``threshold_sweep``): the paper's metrics
    again at each threshold ``t`` of the sweep, from the same maps and the
    same rule (largest region of ``score_map > t``, same IoU test and top-k
    verdicts), reported as ``GT-known Loc@{t:.2f}`` and ``Top-k Loc@{t:.2f}``
    (e.g. ``wsol/GT-known Loc@0.35``) next to the metrics at
    ``score_threshold``: one test run gives the accuracy at every threshold,
    e.g. to choose the threshold on a val split and report the test split at
    it (:func:`spol_mm.benchmarks.tables.pick_on_val`,
    ``tools/spol_table.py --val``).

    Accuracies are percentages; thresholds fractions of the map's maximum.

    Args:
        score_threshold (float): Threshold of the paper's box (strict ``>``).
            Defaults to 0.2 (SPOL).
        iou_threshold (float): IoU of a correct paper box. Defaults to 0.5.
        iou_compare (str): ``'>'`` (SPOL's authors) or ``'>='``.
        gt_match (str): ``'all'`` (best over the GT boxes) or ``'first'``
            (only the first box, as the authors' released evaluation).
        topk (Sequence[int]): k of the ``Top-k Loc`` metrics. Defaults to
            ``(1, 5)``.
        threshold_sweep (Sequence[float], optional): Thresholds in
            ``[0, 1)`` (sorted, repeats dropped; at most two decimals, as in
            the metric names) at which the paper's metrics are also
            reported (see above). Defaults to None (no sweep).
        protocol (bool | str): Compute the protocol's metrics: True, False,
            or ``'auto'`` (when the maps cover the whole images).
        multi_contour (bool): MaxBoxAccV2's every-contour evaluation.
            Defaults to True.
        protocol_ious (Sequence[int]): IoU thresholds in percent. Defaults to
            ``(30, 50, 70)``.
        cam_curve_interval (float): Step of the threshold grid. Defaults to
            0.01.
        protocol_size (int): Side of the protocol frame. Defaults to 224.
        protocol_crop (str): ``'error'`` or ``'paste'`` (see above).
        collect_device (str): ``'cpu'`` or ``'gpu'``.
        prefix (str, optional): Metric name prefix. Defaults to ``'wsol'``.
        collect_dir (str, optional): Directory for collecting results.
    """
    default_prefix = 'wsol'

    def __init__(self,
                 score_threshold: float = 0.2,
                 iou_threshold: float = 0.5,
                 iou_compare: str = '>',
                 gt_match: str = 'all',
                 topk: Sequence[int] = (1, 5),
                 threshold_sweep: Optional[Sequence[float]] = None,
                 protocol: Union[bool, str] = 'auto',
                 multi_contour: bool = True,
                 protocol_ious: Sequence[int] = PROTOCOL_IOUS,
                 cam_curve_interval: float = 0.01,
                 protocol_size: int = 224,
                 protocol_crop: str = 'error',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        check_choice('iou_compare', iou_compare, IOU_COMPARES)
        check_choice('gt_match', gt_match, GT_MATCHES)
        if protocol not in (True, False, 'auto'):
            raise ValueError("protocol must be True, False or 'auto', got "
                             f'{protocol!r}')
        check_choice('protocol_crop', protocol_crop, CROP_MODES)
        self.score_threshold = float(score_threshold)
        self.iou_threshold = float(iou_threshold)
        self.iou_compare = iou_compare
        self.gt_match = gt_match
        self.topk = tuple(int(k) for k in topk)
        self.threshold_sweep = None if threshold_sweep is None else \
            check_threshold_sweep(threshold_sweep)
        self.protocol = protocol
        self.multi_contour = bool(multi_contour)
        self.protocol_size = int(protocol_size)
        self.protocol_crop = protocol_crop
        # One accumulator for the protocol's numbers, shared with
        # tools/eval_wsol.py; here it only makes the per-sample records,
        # which compute_metrics sums after mmengine gathered them.
        self.accumulator = WSOLProtocolAccumulator(
            protocol_ious, self.multi_contour, cam_curve_interval)
        self.protocol_ious = self.accumulator.iou_thresholds
        self.thresholds = self.accumulator.thresholds

    # ------------------------------------------------------------------
    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep the verdicts of each sample (a few hundred bytes)."""
        for sample in data_samples:
            name = sample.get('img_path') or sample.get('img_id') or \
                f'sample {sample.get("sample_idx", len(self.results))}'
            if sample.get('score_map') is None:
                raise KeyError(
                    f'WSOLBoxMetric: {name} has no "score_map"; the model '
                    'must attach one (e.g. SPOLLocalizer, or '
                    "CAMHead(attach_cam='gt'))")
            score_map = to_numpy(sample['score_map']).astype(np.float32)
            score_map = score_map.reshape(score_map.shape[-2:])
            result = self._paper(sample, score_map)
            if self.protocol:
                result.update(self._protocol(sample, score_map, name))
            self.results.append(result)

    def _paper(self, sample: dict, score_map: np.ndarray) -> dict:
        gt = to_numpy(sample.get('gt_bboxes'))
        if gt is None or gt.size == 0:
            return {'loc': None}
        img_shape = tuple(sample.get('img_shape', score_map.shape))[:2]
        score_map = resize_map(score_map, (img_shape[1], img_shape[0]))
        box = largest_region_box(score_map, self.score_threshold)
        hit, iou = localization_hit(box, gt.reshape(-1, 4),
                                    self.iou_threshold, self.iou_compare,
                                    self.gt_match)
        result = {'loc': hit, 'iou': iou}
        if self.threshold_sweep is not None:
            result['sweep'] = tuple(
                localization_hit(
                    largest_region_box(score_map, t), gt.reshape(-1, 4),
                    self.iou_threshold, self.iou_compare, self.gt_match)[0]
                for t in self.threshold_sweep)
        if sample.get('pred_score') is not None:
            label = int(to_numpy(sample['gt_label']).reshape(-1)[0])
            hits = topk_hits(to_numpy(sample['pred_score']), label, self.topk)
            result['cls'] = tuple(hits[k] for k in self.topk)
        return result

    def _protocol(self, sample: dict, score_map: np.ndarray,
                  name: str) -> dict:
        size = self.protocol_size
        pmap, covers = protocol_score_map(sample, score_map, size,
                                          self.protocol_crop == 'paste')
        if pmap is None:
            if self.protocol is True:
                raise ValueError(
                    f'WSOLBoxMetric: {name} was cropped by the pipeline '
                    f'(crop_bbox={to_numpy(sample["crop_bbox"]).tolist()}), '
                    "but the protocol's metrics need the map of the whole "
                    'image: test with a resize-only pipeline (e.g. '
                    "protocol_test_pipeline), set protocol_crop='paste' "
                    "(an approximation) or protocol='auto'/False")
            return {'protocol': 'cropped'}
        pmap = check_score_map(pmap, f'score map of {name}')
        result: Dict[str, Any] = {'protocol': 'ok'}

        gt = None
        ori_shape = tuple(sample.get('ori_shape', score_map.shape))[:2]
        ori_gt = to_numpy(sample.get('ori_gt_bboxes'))
        if ori_gt is not None and ori_gt.size:
            gt = rescale_boxes_truncate(ori_gt.reshape(-1, 4),
                                        (ori_shape[1], ori_shape[0]),
                                        (size, size))
        mask = to_numpy(sample.get('gt_mask'))
        if mask is not None and covers:
            mask = mask.reshape(mask.shape[-2:]).astype(np.uint8)
            if sample.get('flip'):
                mask = unflip_map(mask, sample.get('flip_direction')
                                  or 'horizontal')
            mask = resize_map(np.ascontiguousarray(mask), (size, size),
                              nearest=True)
        else:
            mask = None  # PxAP needs the whole image's mask, not a crop's
        result.update(self.accumulator.evaluate_image(pmap, gt, mask))
        return result

    # ------------------------------------------------------------------
    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """The metrics of the whole data set (see the class docstring)."""
        logger = MMLogger.get_current_instance()
        metrics: Dict[str, float] = {}
        paper = [r for r in results if r['loc'] is not None]
        if len(paper) < len(results):
            logger.warning(
                f'WSOLBoxMetric: {len(results) - len(paper)} of '
                f'{len(results)} images have no GT box and are left out of '
                'the paper metrics')
        if paper:
            cls = None
            if all('cls' in r for r in paper):
                cls = {
                    k: [r['cls'][i] for r in paper]
                    for i, k in enumerate(self.topk)
                }
            metrics.update(loc_accuracies([r['loc'] for r in paper], cls))
            for i, t in enumerate(self.threshold_sweep or ()):
                swept = loc_accuracies([r['sweep'][i] for r in paper], cls)
                metrics.update(
                    {sweep_key(name, t): v
                     for name, v in swept.items()})
        if self.protocol:
            metrics.update(self._protocol_metrics(results, logger))
        return metrics

    def _protocol_metrics(self, results: List[dict],
                          logger) -> Dict[str, float]:
        cropped = sum(r.get('protocol') == 'cropped' for r in results)
        if cropped:
            logger.warning(
                f"WSOLBoxMetric: the protocol's metrics are left out: "
                f'{cropped} of {len(results)} images were cropped by the '
                'pipeline, so no map covers the whole image (use a '
                "resize-only test pipeline, or protocol_crop='paste')")
            return {}
        accumulator = self.accumulator
        accumulator.reset()
        for result in results:
            accumulator.add(result)
        out = accumulator.box_metrics()
        try:
            out.update(accumulator.pixel_metrics())
        except ValueError as err:
            logger.warning(f'WSOLBoxMetric: PxAP left out: {err}')
        return out
