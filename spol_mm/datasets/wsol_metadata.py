"""The WSOL metadata format of Choe et al. (CVPR 2020, ``wsolevaluation``).

One folder per dataset and split (e.g. ``metadata/CUB/test``) holds::

    image_ids.txt         <image_id>                 one image per line
    image_ids_proxy.txt   optional subset of image_ids.txt (``proxy=True``)
    class_labels.txt      <image_id>,<0-based label>
    image_sizes.txt       <image_id>,<w>,<h>          (absent for OpenImages)
    localization.txt      boxes: <image_id>,<x0>,<y0>,<x1>,<y1>, one line per
                          box, several lines for an image with several boxes;
                          or masks (OpenImages):
                          <image_id>,<mask path>,<ignore mask path or empty>,
                          one line per instance mask, the ignore mask on the
                          image's first line only

``image_id`` is the image's path relative to the image root; mask paths are
relative to a mask root (the folder the OpenImages images sit in). Boxes are
kept as written (the protocol's evaluator uses the +1 pixel convention).

:func:`read_wsol_metadata` is a pure reader other tools can use;
:class:`WSOLMetadataDataset` wraps it as an mm dataset.
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from spol_mm.registry import DATASETS
from .annotation_problems import (AnnotationProblems, check_same_keys,
                                  iter_fields, parse_float, parse_int,
                                  read_keyed_table, require_dir, require_file)
from .base_wsol_dataset import BaseWSOLDataset
from .boxes import box_problem

Line = Tuple[str, int]  # (file, line number)


@dataclass
class WSOLMetadata:
    """The content of one metadata folder, every id checked.

    Attributes:
        image_ids (list[str]): Images in file order.
        id_lines (dict): ``image_id -> line`` in the image-id file.
        labels (dict): ``image_id -> 0-based label``.
        label_lines (dict): ``image_id -> line`` in the class-label file.
        shapes (dict): ``image_id -> (h, w)`` (empty without sizes file).
        boxes (dict): ``image_id -> [((x0, y0, x1, y1), line), ...]``.
        mask_paths (dict): ``image_id -> [mask path, ...]`` as written.
        ignore_paths (dict): ``image_id -> ignore mask path`` as written.
        files (dict): The files read, by role (``'image_ids'``,
            ``'class_labels'``, ``'image_sizes'``, ``'localization'``).
        localization (str): ``'boxes'``, ``'masks'`` or ``'none'``.
    """
    image_ids: List[str] = field(default_factory=list)
    id_lines: Dict[str, int] = field(default_factory=dict)
    labels: Dict[str, int] = field(default_factory=dict)
    label_lines: Dict[str, int] = field(default_factory=dict)
    shapes: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    boxes: Dict[str, list] = field(default_factory=dict)
    mask_paths: Dict[str, List[str]] = field(default_factory=dict)
    ignore_paths: Dict[str, str] = field(default_factory=dict)
    files: Dict[str, str] = field(default_factory=dict)
    localization: str = 'none'


def _size(fields: List[str]) -> Tuple[int, int]:
    w = parse_int(fields[0], 'width')
    h = parse_int(fields[1], 'height')
    if w <= 0 or h <= 0:
        raise ValueError(f'size {w}x{h} is not positive')
    return h, w


def _localization_kind(path: str) -> str:
    """``'boxes'`` (5 fields) or ``'masks'`` (3), from the first line."""
    with open(path, encoding='utf-8') as f:
        for raw in f:
            if raw.strip():
                return 'masks' if raw.count(',') == 2 else 'boxes'
    return 'boxes'


def read_wsol_metadata(
        metadata_root: str,
        proxy: bool = False,
        problems: Optional[AnnotationProblems] = None) -> WSOLMetadata:
    """Read and check one metadata folder.

    Checks: required files exist; malformed lines; duplicate ids (and a
    second ignore mask for an image); ids listed in one file and missing
    from another (with ``proxy=True`` the other files may list more
    images); empty boxes (``x1 <= x0`` or ``y1 <= y0``). Labels are not
    range-checked here (the number of classes is not in the folder).

    Args:
        metadata_root (str): The folder, e.g. ``metadata/CUB/test``.
        proxy (bool): Read ``image_ids_proxy.txt`` instead of
            ``image_ids.txt``. Defaults to False.
        problems (AnnotationProblems, optional): Collector to record into;
            when None, one is made and raised at the end.

    Returns:
        WSOLMetadata: The parsed, checked content.
    """
    own = problems is None
    problems = problems if problems is not None else AnnotationProblems()
    require_dir(metadata_root, 'WSOL metadata folder')
    meta = WSOLMetadata()
    ids_name = 'image_ids_proxy.txt' if proxy else 'image_ids.txt'
    files = dict(
        image_ids=require_file(
            osp.join(metadata_root, ids_name), f'WSOL metadata {ids_name}'),
        class_labels=require_file(
            osp.join(metadata_root, 'class_labels.txt'),
            'WSOL metadata class_labels.txt'))
    for role in ('image_sizes', 'localization'):
        path = osp.join(metadata_root, role + '.txt')
        if osp.isfile(path):
            files[role] = path
    meta.files = files

    ids = read_keyed_table(
        files['image_ids'],
        1,
        problems,
        lambda f: None,
        sep=None,
        layout='<image_id>')
    meta.image_ids = list(ids)
    meta.id_lines = {k: line for k, (line, _) in ids.items()}

    labels = read_keyed_table(
        files['class_labels'],
        2,
        problems,
        lambda f: parse_int(f[0], 'label'),
        sep=',',
        layout='<image_id>,<label>')
    check_same_keys(
        ids,
        files['image_ids'],
        labels,
        files['class_labels'],
        problems,
        allow_extra=proxy)
    for key, (line, label) in labels.items():
        if label < 0:
            problems.add('label out of range', files['class_labels'], line,
                         f'label {label} is negative for id {key}')
        meta.labels[key] = label
        meta.label_lines[key] = line

    if 'image_sizes' in files:
        sizes = read_keyed_table(
            files['image_sizes'],
            3,
            problems,
            _size,
            sep=',',
            layout='<image_id>,<w>,<h>')
        check_same_keys(
            ids,
            files['image_ids'],
            sizes,
            files['image_sizes'],
            problems,
            allow_extra=proxy)
        meta.shapes = {k: v for k, (_, v) in sizes.items()}

    if 'localization' in files:
        _read_localization(files['localization'], meta, ids,
                           files['image_ids'], proxy, problems)
    if own:
        problems.raise_if_any()
    return meta


def _read_localization(path: str, meta: WSOLMetadata, ids: dict, ids_path: str,
                       proxy: bool, problems: AnnotationProblems) -> None:
    kind = _localization_kind(path)
    meta.localization = kind
    first_line: Dict[str, Tuple[int, None]] = {}
    if kind == 'boxes':
        layout = '<image_id>,<x0>,<y0>,<x1>,<y1>'
        for line, fields in iter_fields(path, 5, problems, ',', layout):
            key = fields[0]
            try:
                box = tuple(
                    parse_float(v, name)
                    for v, name in zip(fields[1:], ('x0', 'y0', 'x1', 'y1')))
            except ValueError as err:
                problems.add('malformed', path, line,
                             f'{err} for id {key}, expected {layout}')
                continue
            first_line.setdefault(key, (line, None))
            why = box_problem(box)
            if why is not None:
                problems.add(why, path, line, f'{why} for id {key}')
                continue
            meta.boxes.setdefault(key, []).append((box, line))
    else:
        layout = '<image_id>,<mask path>,<ignore mask path or empty>'
        for line, fields in iter_fields(path, 3, problems, ',', layout):
            key, mask, ignore = fields
            if not mask:
                problems.add('malformed', path, line,
                             f'empty mask path for id {key}')
                continue
            if key in first_line and ignore:
                problems.add(
                    'second ignore mask', path, line,
                    f'id {key} has a second ignore mask (only its '
                    f'first line may name one)')
                continue
            first_line.setdefault(key, (line, None))
            meta.mask_paths.setdefault(key, []).append(mask)
            if ignore:
                meta.ignore_paths[key] = ignore
    check_same_keys(
        ids, ids_path, first_line, path, problems, allow_extra=proxy)


@DATASETS.register_module()
class WSOLMetadataDataset(BaseWSOLDataset):
    """A WSOL data set described by ``wsolevaluation`` metadata files.

    See the module docstring for the files. ``gt_bboxes`` holds every box of
    the image (``(0, 4)`` for mask-annotated sets such as OpenImages);
    ``gt_mask_path`` is the image's mask path, a list when it has several
    instance masks (the loader takes their union), and
    ``gt_ignore_mask_path`` its ignore mask or None. ``ann_shape`` is the
    ``(h, w)`` of ``image_sizes.txt`` (None without it); boxes reaching
    outside it follow ``box_outside``.

    Args:
        metadata_root (str): The metadata folder of one split, e.g.
            ``'metadata/CUB/test'``; relative paths are taken from
            ``data_root``.
        data_root (str): Root for relative paths. Defaults to ``''``.
        data_prefix (str | dict): The image root the ids are relative to
            (relative to ``data_root``). Defaults to ``''``.
        mask_root (str, optional): Root of the mask paths (relative to
            ``data_root``). Defaults to the image root.
        proxy (bool): Use ``image_ids_proxy.txt``. Defaults to False.
        **kwargs: :class:`BaseWSOLDataset` arguments (``seg_map_root``,
            ``box_outside``, ``check_files``, ``pipeline``, ``metainfo`` ...).
            Without ``metainfo`` classes, the number of classes is the
            largest label + 1 and the names are the label numbers.
    """

    def __init__(self,
                 metadata_root: str,
                 data_root: str = '',
                 data_prefix='',
                 mask_root: Optional[str] = None,
                 proxy: bool = False,
                 **kwargs) -> None:
        self.metadata_root = metadata_root
        self.mask_root = mask_root
        self.proxy = proxy
        super().__init__(
            data_root=data_root, data_prefix=data_prefix, **kwargs)

    def load_entries(self, problems: AnnotationProblems) -> List[dict]:
        """Read the metadata folder into entries."""
        meta = read_wsol_metadata(
            self.resolve(self.metadata_root), self.proxy, problems)
        labels = [meta.labels[k] for k in meta.image_ids if k in meta.labels]
        given = self._metainfo.get('classes')
        num_classes = self.set_classes(
            None,
            meta.files['class_labels'],
            num_classes=None if given is not None else
            (max(labels) + 1 if labels else 0))
        mask_root = self.img_prefix if self.mask_root is None \
            else self.resolve(self.mask_root)
        ids_path = meta.files['image_ids']
        entries = []
        for img_id in meta.image_ids:
            if img_id not in meta.labels:
                continue  # recorded as a missing entry
            label = meta.labels[img_id]
            if label >= num_classes:
                problems.add(
                    'label out of range', meta.files['class_labels'],
                    meta.label_lines[img_id], f'label {label} out of range '
                    f'0..{num_classes - 1} for id {img_id}')
                continue
            shape = meta.shapes.get(img_id)
            boxes = []
            for box, line in meta.boxes.get(img_id, []):
                fitted = self.fit_box(box, shape, meta.files['localization'],
                                      line, img_id, problems)
                if fitted is not None:
                    boxes.append(fitted)
            masks = [
                osp.abspath(osp.join(mask_root, p))
                for p in meta.mask_paths.get(img_id, [])
            ]
            ignore = meta.ignore_paths.get(img_id)
            entries.append(
                self.make_entry(
                    self.img_prefix,
                    img_id,
                    label,
                    boxes,
                    gt_mask_path=(masks[0]
                                  if len(masks) == 1 else masks or None),
                    ann_shape=shape,
                    gt_ignore_mask_path=(osp.abspath(
                        osp.join(mask_root, ignore)) if ignore else None),
                    _src=(ids_path, meta.id_lines[img_id])))
        return entries

    def extra_repr(self) -> List[str]:
        """Shown by ``repr(dataset)``."""
        return [f'Metadata: \t{self.resolve(self.metadata_root)}'
                ] + super().extra_repr()
