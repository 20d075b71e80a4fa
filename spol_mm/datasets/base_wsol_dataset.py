"""What the WSOL datasets share: entry layout, checks, box clipping.

Each dataset reads its own annotation layout into the entries of the data
contract (``img_path``, ``img_id``, ``gt_label``, ``gt_bboxes``,
``ori_gt_bboxes``, ``gt_mask_path``, ``ann_shape``) and, for stage 2 in
mmseg, the pseudo-label keys (``seg_map_path``, ``seg_fields``,
``reduce_zero_label``, ``label_map``).
"""
import hashlib
import os.path as osp
import warnings
from collections import defaultdict
from typing import List, Optional, Sequence, Tuple, Union

from mmpretrain.datasets import BaseDataset

from spol_mm.pseudo_label.io import label_path
from spol_mm.pseudo_label.meta import check_pseudo_label_meta
from spol_mm.structures import as_boxes, box_outside, box_problem, clip_box
from spol_mm.utils.checks import check_choice
from .annotation_problems import AnnotationProblems

BOX_OUTSIDE_MODES = ('clip', 'raise')

#: ``<seg_map_root>/<img_id without extension>.png``: the rule by which the
#: GPPL hook writes the labels (:func:`spol_mm.pseudo_label.io.label_path`,
#: which refuses absolute ids and ids with ``..``), under its older name.
seg_map_path_for = label_path


def holdout_ids(img_ids: Sequence[str], labels: Sequence[int],
                fraction: float) -> set:
    """The training images held out for validation: a per-class rule.

    In every class, ``max(1, round(fraction * n))`` of its ``n`` images (none
    when ``n < 2`` or ``fraction == 0``) are held out: those whose SHA-1 of
    the image id is smallest. The choice depends only on the ids, not on
    their order or on the other classes, so it is the same on every machine
    and an image keeps its side when others are added.

    Args:
        img_ids (Sequence[str]): Training image ids.
        labels (Sequence[int]): Their classes.
        fraction (float): Share of each class to hold out, in ``[0, 1)``.

    Returns:
        set: The held-out ids.
    """
    if not 0 <= fraction < 1:
        raise ValueError(f'holdout fraction must be in [0, 1), got {fraction}')
    held = set()
    if fraction == 0:
        return held
    by_class = defaultdict(list)
    for img_id, label in zip(img_ids, labels):
        by_class[label].append(img_id)
    for ids in by_class.values():
        if len(ids) < 2:
            continue
        count = max(1, round(fraction * len(ids)))
        ids = sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())
        held.update(ids[:count])
    return held


def split_holdout(entries: List[dict], fraction: float,
                  held_out: bool) -> List[dict]:
    """Keep the held-out entries (``held_out``) or the rest.

    With ``fraction == 0`` nothing is held out: the rest is every entry.

    Args:
        entries (list[dict]): Training entries with ``img_id``, ``gt_label``.
        fraction (float): See :func:`holdout_ids`.
        held_out (bool): Return the held-out part instead of the rest.

    Returns:
        list[dict]: The chosen entries, in their order.
    """
    held = holdout_ids([e['img_id'] for e in entries],
                       [e['gt_label'] for e in entries], fraction)
    return [e for e in entries if (e['img_id'] in held) == held_out]


class BaseWSOLDataset(BaseDataset):
    """Base class of the WSOL datasets (class labels + boxes [+ masks]).

    Subclasses implement :meth:`load_entries`; this class validates, clips,
    adds the pseudo-label keys and checks that the files exist.

    Args:
        seg_map_root (str, optional): Directory of stage-1 pseudo labels.
            When given, every entry gets ``seg_map_path =
            <seg_map_root>/<img_id without extension>.png`` and the keys
            mmseg's ``LoadAnnotations`` / ``PackSegInputs`` read. It is used
            as given (relative to the working directory, not to
            ``data_root``), as it is a training output, not part of the data
            set. Defaults to None.
        box_outside (str): What to do with a box that reaches outside its
            image when the image size is known (negative coordinates always
            count): ``'clip'`` clips it to the image and warns once with the
            count; ``'raise'`` reports it as an annotation error. Defaults to
            ``'clip'``.
        pseudo_label_params (dict, optional): GPPL settings the pseudo
            labels must have been made with (keys of ``GPPLConfig``, e.g.
            ``dict(fg_reading='moments')``). With ``seg_map_root`` and
            ``check_files``, the labels' ``gppl_meta.json`` must say they
            are complete and made for exactly this dataset's images, with
            these settings. Defaults to None.
        check_files (bool): Whether to check up front that every image, GT
            mask and pseudo label exists (one error naming the first missing
            file and the count). Defaults to True.
        **kwargs: :class:`mmpretrain.datasets.BaseDataset` arguments
            (``ann_file``, ``metainfo``, ``data_root``, ``data_prefix``,
            ``pipeline``, ``test_mode``, ``lazy_init``, ``classes`` ...).
    """

    def __init__(self,
                 seg_map_root: Optional[str] = None,
                 box_outside: str = 'clip',
                 pseudo_label_params: Optional[dict] = None,
                 check_files: bool = True,
                 **kwargs) -> None:
        check_choice('box_outside', box_outside, BOX_OUTSIDE_MODES)
        self.seg_map_root = seg_map_root
        self.box_outside = box_outside
        self.pseudo_label_params = pseudo_label_params or {}
        self.check_files = check_files
        self.num_clipped_boxes = 0
        kwargs.setdefault('ann_file', '')
        super().__init__(**kwargs)

    # -- helpers for subclasses ------------------------------------------
    def resolve(self, path: str) -> str:
        """Join a relative annotation path with ``data_root``."""
        if osp.isabs(path) or not self.data_root:
            return path
        return osp.join(self.data_root, path)

    def fit_box(self, box: Sequence[float], shape: Optional[Tuple[int, int]],
                path: str, line: Optional[int], img_id: str,
                problems: AnnotationProblems) -> Optional[Tuple[float, ...]]:
        """Check one box; clip it (or record it) when it leaves the image.

        Args:
            box (Sequence[float]): ``x0, y0, x1, y1``.
            shape (tuple[int, int], optional): Image ``(h, w)`` if known.
            path (str): The file the box comes from.
            line (int, optional): Its line there.
            img_id (str): The image, for messages.
            problems (AnnotationProblems): Where problems are recorded.

        Returns:
            tuple | None: The (clipped) box, or None if it is unusable.
        """
        why = box_problem(box)
        if why is not None:
            problems.add(why, path, line, f'{why} for id {img_id} '
                         f'(box {_fmt_box(box)})')
            return None
        if not box_outside(box, shape):
            return tuple(float(v) for v in box)
        where = 'outside the image' if shape is None else \
            f'outside the {shape[1]}x{shape[0]} (w x h) image'
        if self.box_outside == 'raise':
            problems.add(
                'box outside', path, line,
                f'box {_fmt_box(box)} of id {img_id} reaches '
                f"{where} (box_outside='raise')")
            return None
        clipped = clip_box(box, shape)
        if box_problem(clipped) is not None:
            problems.add(
                'box fully outside', path, line,
                f'box {_fmt_box(box)} of id {img_id} lies entirely '
                f'{where}')
            return None
        self.num_clipped_boxes += 1
        return clipped

    def set_classes(self,
                    names: Optional[Sequence[str]],
                    source: str,
                    num_classes: Optional[int] = None) -> int:
        """Use ``names`` as the classes unless metainfo already has some.

        Args:
            names (Sequence[str], optional): Class names from the files.
            source (str): Where they come from, for messages.
            num_classes (int, optional): The number of classes when the
                files give no names.

        Returns:
            int: The number of classes.
        """
        given = self._metainfo.get('classes')
        count = len(names) if names is not None else num_classes
        if given is not None:
            if count is not None and len(given) != count:
                raise ValueError(
                    f'{type(self).__name__}: metainfo/classes gives '
                    f'{len(given)} classes but {source} has {count}')
            return len(given)
        if names is None:
            names = [str(i) for i in range(count or 0)]
        self._metainfo['classes'] = tuple(names)
        return len(names)

    def make_entry(self,
                   img_root: str,
                   img_id: str,
                   gt_label: int,
                   boxes: Sequence[Sequence[float]],
                   gt_mask_path: Union[str, List[str], None] = None,
                   ann_shape: Optional[Tuple[int, int]] = None,
                   **extra) -> dict:
        """Build one data-contract entry.

        Args:
            img_root (str): The image root the id is relative to.
            img_id (str): The image's path relative to ``img_root``.
            gt_label (int): 0-based class index.
            boxes (Sequence): ``x0, y0, x1, y1`` boxes, original pixels.
            gt_mask_path (str | list[str], optional): GT mask file(s).
            ann_shape (tuple[int, int], optional): Image ``(h, w)`` as the
                annotation files state it.
            **extra: More keys for the entry.

        Returns:
            dict: The entry.
        """
        gt_bboxes = as_boxes(boxes)
        entry = dict(
            img_path=osp.abspath(osp.join(img_root, img_id)),
            img_id=img_id,
            gt_label=int(gt_label),
            gt_bboxes=gt_bboxes,
            # A separate array: pickling keeps shared objects shared, and
            # transforms may edit gt_bboxes in place.
            ori_gt_bboxes=gt_bboxes.copy(),
            gt_mask_path=gt_mask_path,
            ann_shape=None if ann_shape is None else tuple(ann_shape))
        entry.update(extra)
        return entry

    # -- the mm dataset hook -----------------------------------------------
    def load_entries(self, problems: AnnotationProblems) -> List[dict]:
        """Parse the annotation files into entries (subclasses).

        Args:
            problems (AnnotationProblems): Where problems are recorded.

        Returns:
            list[dict]: Entries made with :meth:`make_entry`, each with a
            ``'_src'`` ``(file, line)`` naming where the image is listed.
        """
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        """Read, validate and complete the entries."""
        problems = AnnotationProblems()
        self.num_clipped_boxes = 0
        entries = self.load_entries(problems)
        problems.raise_if_any()
        if self.num_clipped_boxes:
            warnings.warn(
                f'{type(self).__name__}: clipped {self.num_clipped_boxes} '
                f"GT boxes to their image (box_outside='clip')")
        if self.seg_map_root is not None:
            self._add_seg_maps(entries, problems)
            problems.raise_if_any()
            if self.check_files:
                # Refuse stale or foreign labels before anything trains.
                check_pseudo_label_meta(self.seg_map_root,
                                        self.pseudo_label_params,
                                        [e['img_id'] for e in entries])
        if self.check_files:
            self._check_files_exist(entries, problems)
            problems.raise_if_any()
        for entry in entries:
            entry.pop('_src', None)
        return entries

    def _add_seg_maps(self, entries: List[dict],
                      problems: AnnotationProblems) -> None:
        """Give each entry its pseudo label (the keys mmseg reads); an id
        that is absolute or has ``..`` has none and is recorded."""
        for entry in entries:
            try:
                seg_map_path = label_path(self.seg_map_root, entry['img_id'])
            except ValueError as err:
                path, line = entry.get('_src', (None, None))
                problems.add(
                    'bad id for a pseudo label', path or self.seg_map_root,
                    line, f'{err} (its pseudo label would lie outside '
                    f'seg_map_root {self.seg_map_root})')
                continue
            entry.update(
                seg_map_path=seg_map_path,
                seg_fields=[],
                reduce_zero_label=False,
                label_map=None)

    def _check_files_exist(self, entries: List[dict],
                           problems: AnnotationProblems) -> None:
        for entry in entries:
            path, line = entry.get('_src', (None, None))
            if not osp.isfile(entry['img_path']):
                problems.add(
                    'missing image', path or entry['img_path'], line,
                    f'image of id {entry["img_id"]} not found: '
                    f'{entry["img_path"]}')
            masks = entry['gt_mask_path']
            masks = [masks] if isinstance(masks, str) else (masks or [])
            masks = masks + [entry.get('gt_ignore_mask_path') or '']
            for mask in masks:
                if mask and not osp.isfile(mask):
                    problems.add(
                        'missing mask', path or mask, line,
                        f'GT mask of id {entry["img_id"]} not found:'
                        f' {mask}')
            seg = entry.get('seg_map_path')
            if seg is not None and not osp.isfile(seg):
                problems.add(
                    'missing seg map', self.seg_map_root, None,
                    f'pseudo label of id {entry["img_id"]} not found: {seg}'
                    ' (run stage 1 with its pseudo-label hook first, or fix '
                    'seg_map_root)')

    def extra_repr(self) -> List[str]:
        """Shown by ``repr(dataset)``."""
        body = super().extra_repr()
        if self.seg_map_root is not None:
            body.append(f'Pseudo labels: \t{self.seg_map_root}')
        return body


def _fmt_box(box: Sequence[float]) -> str:
    return '[' + ', '.join(f'{float(v):g}' for v in box) + ']'
