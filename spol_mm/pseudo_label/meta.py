"""``gppl_meta.json``: what a pseudo-label directory was generated with.

The GPPL hook writes it next to the label PNGs; stage 2 calls
:func:`check_pseudo_label_meta` so that it never trains on labels made with
other settings or for another image list.
"""
import hashlib
import json
import os.path as osp
from typing import Any, Dict, Iterable, List, Mapping

from .io import atomic_write_bytes

META_FILENAME = 'gppl_meta.json'
META_VERSION = 1
REGENERATE_HINT = ('regenerate them with `python tools/generate_pseudo_labels'
                   '.py CONFIG CHECKPOINT --out {label_dir}` (CONFIG and '
                   'CHECKPOINT of stage 1)')
#: ``params['source']`` of labels made from the GT masks (the upper bound).
GT_MASK_SOURCE = 'gt_mask'
#: How labels of another ``params['source']`` than GPPL are remade.
SOURCE_HINTS = {
    GT_MASK_SOURCE:
    ('write them with `python tools/dataset_converters/gt_masks_to_labels'
     '.py CONFIG --out {label_dir}` (CONFIG of the stage-2 run that reads '
     'them)'),
}


def regenerate_hint(label_dir: str, source: Any = None) -> str:
    """How to (re)make the labels of ``label_dir``: GPPL's tool, or that of
    the ``source`` the labels are expected from (e.g. ``'gt_mask'``)."""
    hint = SOURCE_HINTS.get(source) if isinstance(source, str) else None
    return (hint or REGENERATE_HINT).format(label_dir=label_dir)


def img_ids_checksum(img_ids: Iterable[str]) -> str:
    """sha256 (hex) of the sorted image ids, one per line (UTF-8).

    Args:
        img_ids (Iterable[str]): The images' ids.

    Returns:
        str: The hex digest.
    """
    text = '\n'.join(sorted(str(i) for i in img_ids))
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def _jsonable(value: Any) -> Any:
    """``value`` as it reads back from JSON (tuples -> lists, ...)."""
    return json.loads(json.dumps(value, default=str))


def write_pseudo_label_meta(label_dir: str, params: Mapping[str, Any],
                            img_ids: Iterable[str], complete: bool,
                            **extra: Any) -> str:
    """Write ``<label_dir>/gppl_meta.json`` atomically.

    Args:
        label_dir (str): The pseudo-label directory.
        params (Mapping): Settings the labels depend on.
        img_ids (Iterable[str]): The images labelled.
        complete (bool): Whether every label file has been written.
        **extra: Informative entries (not checked), e.g. the checkpoint.

    Returns:
        str: The json's path.
    """
    img_ids = list(img_ids)
    meta = dict(
        version=META_VERSION,
        complete=bool(complete),
        num_images=len(img_ids),
        img_ids_sha256=img_ids_checksum(img_ids),
        params=_jsonable(dict(params)),
        **_jsonable(extra))
    path = osp.join(label_dir, META_FILENAME)
    atomic_write_bytes(path, (json.dumps(meta, indent=2, sort_keys=True) +
                              '\n').encode('utf-8'))
    return path


def read_pseudo_label_meta(label_dir: str,
                           source: Any = None) -> Dict[str, Any]:
    """Read ``<label_dir>/gppl_meta.json``.

    Args:
        label_dir (str): The pseudo-label directory.
        source (optional): The ``params['source']`` expected there (None:
            GPPL's labels), only for the hint of the error messages.

    Returns:
        dict: The meta.

    Raises:
        FileNotFoundError: No json there.
        ValueError: The json is unreadable.
    """
    path = osp.join(label_dir, META_FILENAME)
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} does not exist, so {label_dir} holds no (finished) GPPL '
            'pseudo labels; ' + regenerate_hint(label_dir, source))
    try:
        with open(path, encoding='utf-8') as f:
            meta = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}, line {e.lineno}: not valid JSON ({e.msg})'
                         '; ' +
                         regenerate_hint(label_dir, source)) from e
    if not isinstance(meta, dict) or not isinstance(meta.get('params'), dict):
        raise ValueError(f'{path}: not a GPPL meta file (no "params" '
                         'object); ' +
                         regenerate_hint(label_dir, source))
    return meta


def check_resumable(label_dir: str,
                    params: Mapping[str, Any],
                    img_ids: Iterable[str],
                    source: Any = None) -> None:
    """Refuse to resume into a label directory made differently.

    Args:
        label_dir (str): The label directory (it may not exist yet).
        params (Mapping): The settings the labels are being made with.
        img_ids (Iterable[str]): The images they are made for.
        source (optional): As for :func:`read_pseudo_label_meta`.

    Raises:
        ValueError: The directory's meta records other settings or images.
    """
    try:
        meta = read_pseudo_label_meta(label_dir, source)
    except FileNotFoundError:
        return  # nothing made yet, or nothing finished: a fresh start
    problems = meta_mismatches(meta, params, img_ids)
    if problems:
        what = 'pseudo labels' if source is None else f'{source} labels'
        raise ValueError(
            f'{osp.join(label_dir, META_FILENAME)}: {label_dir} already holds '
            f'{what} made differently (' + '; '.join(problems) + '); delete '
            'the directory or write the labels elsewhere')


def meta_mismatches(meta: Mapping[str, Any], params: Mapping[str, Any],
                    img_ids: Iterable[str]) -> List[str]:
    """What differs between a meta and the expected settings and images.

    Args:
        meta (Mapping): As read by :func:`read_pseudo_label_meta`.
        params (Mapping): Expected settings; only their keys are compared
            (as JSON, so tuples equal lists).
        img_ids (Iterable[str]): Expected image ids.

    Returns:
        list[str]: One line per difference; empty when they match.
    """
    problems = []
    recorded = meta['params']
    for key, want in _jsonable(dict(params)).items():
        if key not in recorded:
            problems.append(f'{key}: not recorded, expected {want!r}')
        elif recorded[key] != want:
            problems.append(f'{key}: generated with {recorded[key]!r}, '
                            f'expected {want!r}')
    img_ids = list(img_ids)
    checksum = img_ids_checksum(img_ids)
    if meta.get('num_images') != len(img_ids) or meta.get(
            'img_ids_sha256') != checksum:
        problems.append(
            f'image list: generated for {meta.get("num_images")} images '
            f'(sha256 {meta.get("img_ids_sha256")}), expected '
            f'{len(img_ids)} images (sha256 {checksum})')
    return problems


def check_pseudo_label_meta(label_dir: str, params: Mapping[str, Any],
                            img_ids: Iterable[str]) -> Dict[str, Any]:
    """Check that ``label_dir`` holds complete labels made as expected.

    Every key of ``params`` must be recorded with an equal value (compared
    as JSON, so tuples equal lists); recorded keys that ``params`` leaves
    out are not checked. The recorded image list must be ``img_ids``
    (compared by count and sha256 of the sorted ids), and the generation
    must have finished.

    Args:
        label_dir (str): The pseudo-label directory.
        params (Mapping): Expected settings, e.g. a ``GPPLConfig.to_dict()``.
        img_ids (Iterable[str]): Ids of the images to be trained on.

    Returns:
        dict: The meta read.

    Raises:
        FileNotFoundError: ``gppl_meta.json`` is missing.
        ValueError: The labels are incomplete or made differently; the
            message names the json, what differs and how to regenerate.
    """
    # The hint names the tool of the labels expected, else of those found.
    source = dict(params).get('source')
    meta = read_pseudo_label_meta(label_dir, source)
    problems = meta_mismatches(meta, params, img_ids)
    if not meta.get('complete', False):
        problems.insert(
            0, 'the generation did not finish (complete=false; '
            'rerunning it resumes)')
    if problems:
        if source is None:
            source = meta['params'].get('source')
        hint = regenerate_hint(label_dir, source)
        raise ValueError(
            f'{osp.join(label_dir, META_FILENAME)}: the pseudo labels in '
            f'{label_dir} do not match: ' + '; '.join(problems) + '. ' +
            hint[0].upper() + hint[1:])
    return meta
