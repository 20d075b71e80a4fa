"""The one accumulator of the standard WSOL protocol's numbers.

``WSOLBoxMetric`` (online, in the runner) and ``tools/eval_wsol.py``
(offline, on saved score maps) both turn each image into a compact record
with :meth:`WSOLProtocolAccumulator.evaluate_image`, sum the records with
:meth:`~WSOLProtocolAccumulator.add` and read MaxBoxAcc, MaxBoxAccV2 and
PxAP from the totals, so the two cannot drift apart.
"""
from typing import Dict, Optional, Sequence

import numpy as np

from .metrics import (CAM_CURVE_INTERVAL, PROTOCOL_IOUS, box_best_ious_both,
                      box_correct, max_box_acc, mean_max_box_acc,
                      pixel_shares, protocol_thresholds, pxap,
                      pxap_histograms, summarize_box_counts)

#: Score thresholds at which :meth:`WSOLProtocolAccumulator.pixel_metrics`
#: reads the foreground share: SPOL's mask threshold and a sigmoid's 0.5.
SHARE_THRESHOLDS = (0.2, 0.5)


class WSOLProtocolAccumulator:
    """Per-image verdicts and data-set totals of MaxBoxAcc(V2) and PxAP.

    A record holds the per-threshold verdicts as packed bits (a few hundred
    bytes), so that it is cheap to keep for every image, to send between
    processes and to gather across ranks. The inputs are in the protocol's
    frame (see :mod:`.boxes`, :mod:`.masks`): the whole image's score map, GT
    boxes rescaled to it with int() truncation, GT mask resized to it.

    Args:
        iou_thresholds (Sequence[int]): IoU thresholds in percent. Defaults
            to ``(30, 50, 70)``.
        multi_contour (bool): Also the every-contour verdicts (MaxBoxAccV2
            and the per-IoU numbers); else the per-IoU numbers come from
            the largest contour. Defaults to True.
        cam_curve_interval (float): Step of the score-threshold grid.
            Defaults to 0.01.
        largest_contour (bool): The largest-contour verdicts (MaxBoxAcc).
            False, with ``multi_contour``, gives MaxBoxAccV2 and the
            per-IoU numbers alone, as the reference evaluator's
            ``multi_contour_eval=True`` does, without the largest-contour
            search (about a tenth of the pass on smooth maps). Defaults to
            True.
    """

    def __init__(self,
                 iou_thresholds: Sequence[int] = PROTOCOL_IOUS,
                 multi_contour: bool = True,
                 cam_curve_interval: float = CAM_CURVE_INTERVAL,
                 largest_contour: bool = True) -> None:
        if not (multi_contour or largest_contour):
            raise ValueError('WSOLProtocolAccumulator: multi_contour and '
                             'largest_contour are both False: no box rule')
        self.iou_thresholds = tuple(int(v) for v in iou_thresholds)
        self.multi_contour = bool(multi_contour)
        self.largest_contour = bool(largest_contour)
        self.thresholds = protocol_thresholds(cam_curve_interval)
        # The single-contour verdicts also feed MaxBoxAcc (IoU 50).
        self.single_ious = tuple(sorted(set(self.iou_thresholds) | {50}))
        self.reset()

    def reset(self) -> None:
        """Forget every record added so far."""
        num_thr = len(self.thresholds)
        self.num_boxed = 0
        self.num_masked = 0
        self.single = np.zeros((len(self.single_ious), num_thr), np.int64)
        self.multi = np.zeros((len(self.iou_thresholds), num_thr), np.int64)
        self.hist = np.zeros((2, num_thr + 2), np.int64)

    def evaluate_image(self,
                       score_map: np.ndarray,
                       gt_boxes: Optional[np.ndarray] = None,
                       gt_mask: Optional[np.ndarray] = None) -> dict:
        """The record of one image (does not change the totals).

        Args:
            score_map (np.ndarray): ``(H, W)`` in [0, 1], the whole image.
            gt_boxes (np.ndarray, optional): ``(G, 4)`` int GT boxes in the
                map's frame (pixel-inclusive), G >= 1; None: no box
                verdicts.
            gt_mask (np.ndarray, optional): ``(H, W)``: 1 foreground, 0
                background, other values ignored; None: no PxAP counts.

        Returns:
            dict: ``'single'`` (with ``largest_contour``) and ``'multi'``
            (with ``multi_contour``) packed verdicts when boxes are given,
            ``'hist'`` int64 ``(2, T + 2)`` foreground / background score
            histograms when a mask is given.
        """
        record = {}
        if gt_boxes is not None:
            ious = box_best_ious_both(
                score_map,
                gt_boxes,
                self.thresholds,
                single_contour=self.largest_contour,
                multi_contour=self.multi_contour)
            if self.largest_contour:
                record['single'] = np.packbits(
                    box_correct(ious['single'], self.single_ious))
            if self.multi_contour:
                record['multi'] = np.packbits(
                    box_correct(ious['multi'], self.iou_thresholds))
        if gt_mask is not None:
            record['hist'] = np.stack(
                pxap_histograms(score_map, gt_mask, self.thresholds))
        return record

    def _unpack(self, bits: np.ndarray, num_ious: int) -> np.ndarray:
        num_thr = len(self.thresholds)
        return np.unpackbits(
            bits, count=num_ious * num_thr).reshape(num_ious, num_thr)

    def add(self, record: dict) -> None:
        """Add one record of :meth:`evaluate_image` to the totals."""
        if 'single' in record or 'multi' in record:
            self.num_boxed += 1
        if 'single' in record:
            self.single += self._unpack(record['single'],
                                        len(self.single_ious))
        if 'multi' in record:
            self.multi += self._unpack(record['multi'],
                                       len(self.iou_thresholds))
        if 'hist' in record:
            self.num_masked += 1
            self.hist += record['hist']

    def box_metrics(self) -> Dict[str, float]:
        """``MaxBoxAcc`` (largest contour, IoU 50) with ``largest_contour``,
        ``MaxBoxAccV2`` with ``multi_contour``, and ``MaxBoxAcc@<iou>`` /
        ``best_threshold@<iou>`` for each IoU; empty when no record had
        boxes."""
        if not self.num_boxed:
            return {}
        num, thresholds = self.num_boxed, self.thresholds
        out = {}
        if self.largest_contour:
            mid = self.single_ious.index(50)
            acc, _ = max_box_acc(self.single[mid:mid + 1], num, thresholds)
            out['MaxBoxAcc'] = float(acc[0])
        if self.multi_contour:
            out['MaxBoxAccV2'] = mean_max_box_acc(self.multi, num, thresholds)
            per_iou = self.multi
        else:
            per_iou = self.single[[
                self.single_ious.index(v) for v in self.iou_thresholds
            ]]
        out.update(
            summarize_box_counts(per_iou, num, thresholds,
                                 self.iou_thresholds))
        return out

    def pixel_metrics(self) -> Dict[str, float]:
        """``PxAP`` of the summed histograms, and the maps' foreground share
        at :data:`SHARE_THRESHOLDS` beside the object share
        (:func:`~.wsol_protocol.pixel_shares`); empty when no record had a
        mask.

        Raises:
            ValueError: When no GT pixel or no prediction is positive.
        """
        if not self.num_masked:
            return {}
        out = {'PxAP': pxap(self.hist[0], self.hist[1])}
        out.update(pixel_shares(self.hist[0], self.hist[1], self.thresholds,
                                SHARE_THRESHOLDS))
        return out

    def compute(self) -> Dict[str, float]:
        """:meth:`box_metrics` and :meth:`pixel_metrics` together."""
        out = self.box_metrics()
        out.update(self.pixel_metrics())
        return out
