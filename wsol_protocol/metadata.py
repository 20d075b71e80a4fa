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

This is the one reader of the format. :func:`read_wsol_metadata` reads and
checks a folder; where the datasets and the protocol's evaluator need
different rules, the rule is an argument (``allow_zero_size``,
``require_labels``, ``allow_extra_ids``). :class:`WSOLMetadataDataset`
(:mod:`.wsol_metadata_dataset`) wraps it as an mm dataset;
:func:`load_wsol_metadata` is the view ``tools/eval_wsol.py`` evaluates
with. Problems are reported with their file and line, all the problems of a
folder in one error.

The module imports no OpenMMLab package (nor the dataset classes).
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .annotations import (AnnotationProblems, WSOLAnnotationError,
                          check_same_keys, iter_fields, parse_float,
                          parse_int, read_keyed_table, require_dir,
                          require_file)
from .boxes import box_problem


class WSOLMetadataError(WSOLAnnotationError):
    """A bad metadata folder, as :func:`load_wsol_metadata` reports it; the
    message names the file and line of each problem."""


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
    # Undecodable bytes are reported when the lines are read.
    with open(path, encoding='utf-8', errors='replace') as f:
        for raw in f:
            if raw.strip():
                return 'masks' if raw.count(',') == 2 else 'boxes'
    return 'boxes'


def read_wsol_metadata(metadata_root: str,
                       proxy: bool = False,
                       problems: Optional[AnnotationProblems] = None,
                       allow_zero_size: bool = False,
                       require_labels: bool = True,
                       allow_extra_ids: Optional[bool] = None
                       ) -> WSOLMetadata:
    """Read and check one metadata folder.

    Checks: required files exist; malformed lines; duplicate ids (and a
    second ignore mask for an image); ids listed in one file and missing
    from another; reversed boxes (``x1 < x0`` or ``y1 < y0``) and, unless
    ``allow_zero_size``, empty ones (``x1 <= x0`` or ``y1 <= y0``). Labels
    are not range-checked here (the number of classes is not in the
    folder), nor boxes against the image (the caller's policy).

    Args:
        metadata_root (str): The folder, e.g. ``metadata/CUB/test``.
        proxy (bool): Read ``image_ids_proxy.txt`` instead of
            ``image_ids.txt``. Defaults to False.
        problems (AnnotationProblems, optional): Collector to record into;
            when None, one is made and raised at the end.
        allow_zero_size (bool): Keep boxes of zero width or height, as the
            protocol's reference evaluator does. Defaults to False (the
            datasets refuse them).
        require_labels (bool): ``class_labels.txt`` must exist. Defaults
            to True; the evaluator needs no labels.
        allow_extra_ids (bool, optional): The other files may hold lines of
            ids that are not in the image list (they are read and checked,
            but no image is made of them). Defaults to ``proxy`` (a proxy
            list is a subset).

    Returns:
        WSOLMetadata: The parsed, checked content.
    """
    own = problems is None
    problems = problems if problems is not None else AnnotationProblems()
    extra = proxy if allow_extra_ids is None else allow_extra_ids
    require_dir(metadata_root, 'WSOL metadata folder')
    meta = WSOLMetadata()
    ids_name = 'image_ids_proxy.txt' if proxy else 'image_ids.txt'
    files = dict(
        image_ids=require_file(
            osp.join(metadata_root, ids_name), f'WSOL metadata {ids_name}'))
    labels_path = osp.join(metadata_root, 'class_labels.txt')
    if require_labels or osp.isfile(labels_path):
        files['class_labels'] = require_file(
            labels_path, 'WSOL metadata class_labels.txt')
    for role in ('image_sizes', 'localization'):
        path = osp.join(metadata_root, role + '.txt')
        if osp.isfile(path):
            files[role] = path
    meta.files = files

    # Split on commas as the other files: an id with a comma could not be
    # named in them.
    ids = read_keyed_table(
        files['image_ids'],
        1,
        problems,
        lambda f: None,
        sep=',',
        layout='<image_id>')
    meta.image_ids = list(ids)
    meta.id_lines = {k: line for k, (line, _) in ids.items()}

    if 'class_labels' in files:
        _read_labels(files['class_labels'], meta, ids, files['image_ids'],
                     extra, problems)

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
            allow_extra=extra)
        meta.shapes = {k: v for k, (_, v) in sizes.items()}

    if 'localization' in files:
        _read_localization(files['localization'], meta, ids,
                           files['image_ids'], extra, allow_zero_size,
                           problems)
    if own:
        problems.raise_if_any()
    return meta


def _read_labels(path: str, meta: WSOLMetadata, ids: dict, ids_path: str,
                 allow_extra: bool, problems: AnnotationProblems) -> None:
    labels = read_keyed_table(
        path,
        2,
        problems,
        lambda f: parse_int(f[0], 'label'),
        sep=',',
        layout='<image_id>,<label>')
    check_same_keys(
        ids, ids_path, labels, path, problems, allow_extra=allow_extra)
    for key, (line, label) in labels.items():
        if label < 0:
            problems.add('label out of range', path, line,
                         f'label {label} is negative for id {key}')
        meta.labels[key] = label
        meta.label_lines[key] = line


def _read_localization(path: str, meta: WSOLMetadata, ids: dict, ids_path: str,
                       allow_extra: bool, allow_zero_size: bool,
                       problems: AnnotationProblems) -> None:
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
            why = box_problem(box, allow_zero_size)
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
        ids, ids_path, first_line, path, problems, allow_extra=allow_extra)


def load_wsol_metadata(root: str, proxy: bool = False) -> dict:
    """Read a metadata folder with the rules of the protocol's evaluator.

    :func:`read_wsol_metadata` with the reference evaluator's rules: boxes
    of zero width or height are kept, ``class_labels.txt`` is optional,
    lines of ids outside the image list are ignored. On top, the image list
    must not be empty and box coordinates must not be negative (the
    protocol rescales them by int() truncation).

    Args:
        root (str): The folder, e.g. ``metadata/CUB/test``.
        proxy (bool): Use ``image_ids_proxy.txt``. Defaults to False.

    Returns:
        dict: ``image_ids`` (list[str], file order), ``labels``
        (dict id -> int; empty without ``class_labels.txt``), ``sizes``
        (dict id -> ``(w, h)``; empty without ``image_sizes.txt``),
        ``localization`` (``'boxes'``, ``'masks'`` or ``'none'``),
        ``boxes`` (dict id -> float32 ``(N, 4)`` ``x0, y0, x1, y1``),
        ``mask_paths`` (dict id -> list[str]), ``ignore_paths`` (dict id ->
        str or None), ``files`` (dict role -> path) and ``id_lines`` (dict
        id -> line in the image-id file), all for the listed images only.

    Raises:
        WSOLMetadataError: Naming the file and line of every problem, a
            missing folder or file included.
    """
    problems = AnnotationProblems()
    try:
        meta = read_wsol_metadata(
            root,
            proxy,
            problems,
            allow_zero_size=True,
            require_labels=False,
            allow_extra_ids=True)
    except FileNotFoundError as err:
        raise WSOLMetadataError(str(err)) from None
    listed = meta.image_ids
    if not listed and not problems:
        problems.add('no image', meta.files['image_ids'], None,
                     'lists no image')
    for image_id, entries in meta.boxes.items():
        for box, line in entries:
            if min(box) < 0:
                problems.add(
                    'negative box', meta.files['localization'], line,
                    f'box {list(box)} of id {image_id} has a negative '
                    'coordinate')
    problems.raise_if_any(WSOLMetadataError)
    mask_paths = {
        k: meta.mask_paths[k]
        for k in listed if k in meta.mask_paths
    }
    return dict(
        image_ids=listed,
        id_lines=meta.id_lines,
        labels={k: meta.labels[k]
                for k in listed if k in meta.labels},
        sizes={k: meta.shapes[k][::-1]
               for k in listed if k in meta.shapes},
        localization=meta.localization,
        boxes={
            k: np.asarray([box for box, _ in meta.boxes[k]],
                          dtype=np.float32).reshape(-1, 4)
            for k in listed if k in meta.boxes
        },
        mask_paths=mask_paths,
        ignore_paths={k: meta.ignore_paths.get(k)
                      for k in mask_paths},
        files=dict(meta.files))


def write_wsol_metadata(root: str,
                        image_ids: Sequence[str],
                        labels: Dict[str, int],
                        sizes: Dict[str, Tuple[int, int]],
                        boxes: Optional[Dict[str, Sequence]] = None,
                        masks: Optional[Dict[str, Tuple[List[str],
                                                        Optional[str]]]] = None
                        ) -> None:
    """Write one metadata folder (the format's one writer; each file
    atomically), readable by :func:`read_wsol_metadata` and by the
    protocol's reference code.

    Args:
        root (str): The folder (created).
        image_ids (Sequence[str]): Images, in order.
        labels (dict): ``image_id -> 0-based label``.
        sizes (dict): ``image_id -> (w, h)`` of the original image.
        boxes (dict, optional): ``image_id -> [(x0, y0, x1, y1), ...]`` in
            original pixels, written as integers (the protocol's files hold
            integers; values must already be whole).
        masks (dict, optional): ``image_id -> ([mask path, ...], ignore
            path or None)``, paths relative to the mask root. Exactly one of
            ``boxes`` / ``masks``: ``localization.txt`` holds one kind.

    Raises:
        ValueError: Both or neither of ``boxes`` / ``masks``, an image
            without its label, size or localisation, or a box coordinate
            that is not whole.
    """
    from .fileio import atomic_write_text
    if (boxes is None) == (masks is None):
        raise ValueError('write_wsol_metadata needs exactly one of boxes '
                         'and masks (localization.txt holds one kind)')
    local = boxes if boxes is not None else masks
    for name, table in (('label', labels), ('size', sizes),
                        ('localisation', local)):
        missing = [i for i in image_ids if i not in table]
        if missing:
            raise ValueError(f'write_wsol_metadata: no {name} for image '
                             f'{missing[0]!r} ({len(missing)} images)')
    lines = []
    for image_id in image_ids:
        if boxes is not None:
            for box in boxes[image_id]:
                whole = [int(v) for v in box]
                if any(w != float(v) for w, v in zip(whole, box)):
                    raise ValueError(f'write_wsol_metadata: box '
                                     f'{list(box)} of {image_id!r} is not '
                                     'in whole pixels')
                lines.append(','.join([image_id, *map(str, whole)]))
        else:
            paths, ignore = masks[image_id]
            for k, path in enumerate(paths):
                lines.append(f'{image_id},{path},'
                             f'{(ignore or "") if k == 0 else ""}')
    files = {
        'image_ids.txt': list(image_ids),
        'class_labels.txt': [f'{i},{int(labels[i])}' for i in image_ids],
        'image_sizes.txt':
        [f'{i},{int(sizes[i][0])},{int(sizes[i][1])}' for i in image_ids],
        'localization.txt': lines,
    }
    for name, rows in files.items():
        atomic_write_text(osp.join(root, name), ''.join(r + '\n'
                                                        for r in rows))
