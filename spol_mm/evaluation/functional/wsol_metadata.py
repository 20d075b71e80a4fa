"""Reading a WSOL metadata folder as the protocol's evaluator does.

The folder (e.g. ``metadata/CUB/test``, format of Choe et al., CVPR 2020)::

    image_ids.txt        <image_id>                  one image per line
    image_ids_proxy.txt  optional subset (``proxy=True``)
    class_labels.txt     <image_id>,<label>          (optional here)
    image_sizes.txt      <image_id>,<w>,<h>          (needed with boxes)
    localization.txt     <image_id>,<x0>,<y0>,<x1>,<y1>   one line per box
                   or    <image_id>,<mask>,<ignore mask or empty>
                         one line per instance mask, the ignore mask on the
                         image's first line only (OpenImages)

Accepted as the reference evaluator accepts them: boxes with zero width or
height, integer or decimal coordinates (it rescales ``float(x)``); lines of
ids that are not in the image list are ignored (a proxy list is a subset).
Everything it would crash on, or silently get wrong, is an error naming the
file and line: malformed lines, negative or reversed boxes, duplicate ids,
an image without label / size / box or mask, a second ignore mask.

Pure python + numpy, no OpenMMLab import, so tools and dataset code can use
it.
"""
import os.path as osp
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np


class WSOLMetadataError(ValueError):
    """A problem in a metadata file; the message names file and line."""


def _lines(path: str) -> Iterator[Tuple[int, str]]:
    """``(line number, text)`` of the non-blank lines of a text file."""
    try:
        with open(path, encoding='utf-8') as f:
            for number, raw in enumerate(f, 1):
                text = raw.rstrip('\r\n')
                if text.strip():
                    yield number, text
    except UnicodeDecodeError as err:
        raise WSOLMetadataError(f'{path}: not UTF-8 text ({err})') from None


def _fields(path: str, number: int, text: str, count: int,
            layout: str) -> List[str]:
    fields = text.split(',')
    if len(fields) != count or not fields[0]:
        raise WSOLMetadataError(
            f'{path}:{number}: malformed line {text!r}, expected {layout}')
    return fields


def _number(path: str, number: int, value: str, name: str, cast=float):
    try:
        out = cast(value.strip())
    except ValueError:
        raise WSOLMetadataError(
            f'{path}:{number}: {name} {value!r} is not a number') from None
    if not np.isfinite(out):
        raise WSOLMetadataError(f'{path}:{number}: {name} {value!r} is not '
                                'finite')
    return out


def _keyed(path: str, count: int, layout: str) -> Dict[str, tuple]:
    """``image_id -> (line, fields[1:])`` with duplicate ids rejected."""
    out: Dict[str, tuple] = {}
    for number, text in _lines(path):
        fields = _fields(path, number, text, count, layout)
        if fields[0] in out:
            raise WSOLMetadataError(
                f'{path}:{number}: duplicate id {fields[0]!r} (first on '
                f'line {out[fields[0]][0]})')
        out[fields[0]] = (number, fields[1:])
    return out


def _require(image_ids: List[str], id_lines: Dict[str, int], ids_path: str,
             table: dict, path: str, what: str) -> None:
    for image_id in image_ids:
        if image_id not in table:
            raise WSOLMetadataError(
                f'{ids_path}:{id_lines[image_id]}: image {image_id!r} has '
                f'no {what} in {path}')


def load_wsol_metadata(root: str, proxy: bool = False) -> dict:
    """Read one metadata folder (see the module docstring).

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
        id -> line in the image-id file).

    Raises:
        WSOLMetadataError: On any problem, naming the file and line.
    """
    if not osp.isdir(root):
        raise WSOLMetadataError(f'{root}: metadata folder not found')
    ids_path = osp.join(root,
                        'image_ids_proxy.txt' if proxy else 'image_ids.txt')
    if not osp.isfile(ids_path):
        raise WSOLMetadataError(f'{ids_path}: file not found')
    files = {'image_ids': ids_path}
    ids = _keyed(ids_path, 1, '<image_id>')
    image_ids = list(ids)
    if not image_ids:
        raise WSOLMetadataError(f'{ids_path}: lists no image')
    id_lines = {k: v[0] for k, v in ids.items()}
    meta = dict(
        image_ids=image_ids,
        id_lines=id_lines,
        labels={},
        sizes={},
        localization='none',
        boxes={},
        mask_paths={},
        ignore_paths={},
        files=files)

    path = osp.join(root, 'class_labels.txt')
    if osp.isfile(path):
        files['class_labels'] = path
        table = _keyed(path, 2, '<image_id>,<label>')
        _require(image_ids, id_lines, ids_path, table, path, 'label')
        for image_id in image_ids:
            number, (value, ) = table[image_id]
            label = _number(path, number, value, 'label', int)
            if label < 0:
                raise WSOLMetadataError(
                    f'{path}:{number}: label {label} is negative')
            meta['labels'][image_id] = label

    path = osp.join(root, 'image_sizes.txt')
    if osp.isfile(path):
        files['image_sizes'] = path
        table = _keyed(path, 3, '<image_id>,<w>,<h>')
        _require(image_ids, id_lines, ids_path, table, path, 'size')
        for image_id in image_ids:
            number, (w, h) = table[image_id]
            size = (_number(path, number, w, 'width', int),
                    _number(path, number, h, 'height', int))
            if min(size) <= 0:
                raise WSOLMetadataError(
                    f'{path}:{number}: size {size[0]}x{size[1]} is not '
                    'positive')
            meta['sizes'][image_id] = size

    path = osp.join(root, 'localization.txt')
    if osp.isfile(path):
        files['localization'] = path
        _read_localization(path, meta, ids_path)
    return meta


def _read_localization(path: str, meta: dict, ids_path: str) -> None:
    wanted = set(meta['image_ids'])
    kind: Optional[str] = None
    boxes: Dict[str, list] = {}
    for number, text in _lines(path):
        fields = text.split(',')
        line_kind = {5: 'boxes', 3: 'masks'}.get(len(fields))
        if kind is None:
            kind = line_kind
        if line_kind is None or line_kind != kind or not fields[0]:
            expected = ('<image_id>,<x0>,<y0>,<x1>,<y1>' if kind != 'masks'
                        else '<image_id>,<mask path>,<ignore mask or empty>')
            raise WSOLMetadataError(
                f'{path}:{number}: malformed line {text!r}, expected '
                f'{expected}')
        image_id = fields[0]
        if kind == 'boxes':
            box = [
                _number(path, number, v, name)
                for v, name in zip(fields[1:], ('x0', 'y0', 'x1', 'y1'))
            ]
            if min(box) < 0:
                raise WSOLMetadataError(
                    f'{path}:{number}: box {box} has a negative coordinate')
            if box[2] < box[0] or box[3] < box[1]:
                raise WSOLMetadataError(
                    f'{path}:{number}: box {box} has x1 < x0 or y1 < y0')
            if image_id in wanted:
                boxes.setdefault(image_id, []).append(box)
            continue
        mask, ignore = fields[1].strip(), fields[2].strip()
        if not mask:
            raise WSOLMetadataError(f'{path}:{number}: empty mask path')
        if image_id not in wanted:
            continue
        if image_id in meta['mask_paths']:
            if ignore:
                raise WSOLMetadataError(
                    f'{path}:{number}: second ignore mask for {image_id!r} '
                    '(only its first line may name one)')
            meta['mask_paths'][image_id].append(mask)
        else:
            meta['mask_paths'][image_id] = [mask]
            meta['ignore_paths'][image_id] = ignore or None
    meta['localization'] = kind or 'none'
    if kind == 'boxes':
        _require(meta['image_ids'], meta['id_lines'], ids_path, boxes, path,
                 'box')
        meta['boxes'] = {
            k: np.asarray(v, dtype=np.float32).reshape(-1, 4)
            for k, v in boxes.items()
        }
    elif kind == 'masks':
        _require(meta['image_ids'], meta['id_lines'], ids_path,
                 meta['mask_paths'], path, 'mask')
