"""ImageNet-1K (ILSVRC 2012) with its per-image box XML files."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

from spol_mm.registry import DATASETS
from spol_mm.utils.checks import check_choice
from .annotation_problems import (AnnotationProblems, iter_fields, parse_int,
                                  read_keyed_table, require_dir, require_file)
from .base_wsol_dataset import BaseWSOLDataset, split_holdout
from .voc_xml import VOCXMLError, parse_voc_xml

IMAGENET_SPLITS = ('train', 'holdout', 'val')
IMG_EXTENSIONS = ('.jpeg', '.jpg', '.png', '.bmp')


def list_images(root: str) -> List[str]:
    """Image files under ``root`` (recursively), relative, sorted.

    Args:
        root (str): A directory.

    Returns:
        list[str]: Paths relative to ``root`` with ``/`` separators.
    """
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        rel = osp.relpath(folder, root)
        for name in sorted(files):
            if name.lower().endswith(IMG_EXTENSIONS):
                path = name if rel == '.' else osp.join(rel, name)
                found.append(path.replace(os.sep, '/'))
    return found


@DATASETS.register_module()
class ImageNetWSOLDataset(BaseWSOLDataset):
    """ImageNet-1K for weakly supervised object localisation.

    Layout under ``data_root`` (defaults)::

        train/<wnid>/*.JPEG          training images, one folder per class
        val/*.JPEG                   validation images (sub-folders allowed)
        val_boxes/<image stem>.xml   Pascal-VOC box files of the val images

    A box file sits at ``<ann_dir>/<img_id without extension>.xml``, so the
    same rule serves ImageNet's train box archive
    (``<ann_dir>/<wnid>/<stem>.xml``) and the flat val one. It gives the
    image size and one ``<object>`` (WordNet id + box) per box; an image may
    have several. Validation images take their class from the objects'
    WordNet id. Training images take it from their folder and need no box
    file (``gt_bboxes`` is then ``(0, 4)``).

    The class order (label = index) is, in this priority: ``wnids``, the
    sorted class folders of ``<data_root>/train``. Class names come from
    ``metainfo``/``classes`` if given, else from the ``wnids`` file (text
    after the WordNet id, as in ``LOC_synset_mapping.txt``), else the ids.

    Args:
        data_root (str): The ImageNet folder.
        split (str): ``'train'``, ``'holdout'`` or ``'val'``. ImageNet's
            ``val`` is the WSOL test set, so settings are chosen on
            ``'holdout'``: a deterministic per-class hold-out of the training
            images (:func:`holdout_ids`, share ``val_fraction``), which
            ``'train'`` then leaves out. Defaults to ``'train'``.
        val_fraction (float): Share of each class's training images in
            ``'holdout'``. Defaults to 0 (the whole training split).
        data_prefix (str | dict, optional): Image root relative to
            ``data_root``. Defaults to the split's name (``'train'`` for
            ``'holdout'``).
        ann_dir (str, optional): Box XML root relative to ``data_root``.
            Defaults to ``'val_boxes'`` for val and to no boxes for train.
        ann_file (str): Optional list ``<img_id> <0-based label>`` per line
            (mmpretrain's ``meta/train.txt`` style) used instead of scanning
            the image folders. Defaults to ``''``.
        wnids (str | Sequence[str], optional): The class order: a list of
            WordNet ids, or a file (relative to ``data_root``) with one id
            per line, optionally followed by a class name.
        **kwargs: :class:`BaseWSOLDataset` arguments (``seg_map_root``,
            ``box_outside``, ``check_files``, ``pipeline``, ``metainfo`` ...).
    """

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 val_fraction: float = 0.0,
                 data_prefix: Union[str, dict, None] = None,
                 ann_dir: Optional[str] = None,
                 ann_file: str = '',
                 wnids: Union[str, Sequence[str], None] = None,
                 **kwargs) -> None:
        check_choice('ImageNetWSOLDataset: split', split, IMAGENET_SPLITS)
        if split == 'holdout' and not val_fraction > 0:
            raise ValueError("ImageNetWSOLDataset: split='holdout' needs "
                             'val_fraction > 0 (e.g. 0.01)')
        self.split = split
        self.val_fraction = val_fraction
        self.ann_dir = ann_dir if ann_dir is not None else (
            'val_boxes' if split == 'val' else None)
        self.wnids = wnids
        super().__init__(
            data_root=data_root,
            data_prefix=(('train' if split == 'holdout' else split)
                         if data_prefix is None else data_prefix),
            ann_file=ann_file,
            **kwargs)

    # -- class order ---------------------------------------------------------
    def _class_order(
        self, problems: AnnotationProblems
    ) -> Tuple[List[str], Optional[List[str]], str]:
        """WordNet ids in label order, their names if known, the source."""
        if isinstance(self.wnids, (list, tuple)):
            return list(self.wnids), None, 'wnids'
        if isinstance(self.wnids, str):
            path = require_file(self.resolve(self.wnids), 'wnids file')
            ids, names = [], []
            for _, fields in iter_fields(
                    path,
                    1,
                    problems,
                    allow_more=True,
                    layout='<wnid> [class name]'):
                ids.append(fields[0])
                names.append(' '.join(fields[1:]) or fields[0])
            return ids, names, path
        train_dir = self.resolve('train')
        if not osp.isdir(train_dir):
            raise FileNotFoundError(
                f'ImageNetWSOLDataset: cannot tell the class order: no '
                f'wnids given and no class folders at {train_dir}')
        ids = sorted(
            d for d in os.listdir(train_dir)
            if osp.isdir(osp.join(train_dir, d)))
        return ids, None, train_dir

    # -- parsing -----------------------------------------------------------
    def _listed_images(
        self, problems: AnnotationProblems
    ) -> List[Tuple[str, Optional[int], Tuple]]:
        """``(img_id, label or None, (file, line))`` of every image."""
        if self.ann_file:
            path = require_file(self.ann_file, 'ImageNet ann_file')
            table = read_keyed_table(
                path,
                2,
                problems,
                lambda fields: parse_int(fields[0], 'label'),
                layout='<img_id> <label>')
            return [(img_id, label, (path, line))
                    for img_id, (line, label) in table.items()]
        root = require_dir(self.img_prefix, f'ImageNet {self.split} images')
        return [(img_id, None, (root, None)) for img_id in list_images(root)]

    def load_entries(self, problems: AnnotationProblems) -> List[dict]:
        """Parse the image list and the box files into entries."""
        wnids, names, class_src = self._class_order(problems)
        index = {}
        for i, wnid in enumerate(wnids):
            if wnid in index:
                problems.add('duplicate class', class_src, None,
                             f'class {wnid} is listed twice')
            index.setdefault(wnid, i)
        num_classes = self.set_classes(names or wnids, class_src)
        if len(index) == 0:
            problems.add('no classes', class_src, None, 'no classes found')
            return []

        ann_root = None
        if self.ann_dir is not None:
            ann_root = require_dir(
                self.resolve(self.ann_dir),
                f'ImageNet {self.split} box XML directory')

        entries = []
        used_xml = set()
        for img_id, label, src in self._listed_images(problems):
            if label is None and self.split != 'val':
                wnid = img_id.split('/')[0]
                if '/' not in img_id or wnid not in index:
                    problems.add(
                        'unknown class', src[0], src[1],
                        f'image {img_id} is not in a known class '
                        f'folder')
                    continue
                label = index[wnid]
            elif label is not None and not 0 <= label < num_classes:
                problems.add(
                    'label out of range', src[0], src[1],
                    f'label {label} out of range 0..'
                    f'{num_classes - 1} for id {img_id}')
                continue
            shape, boxes = None, []
            if ann_root is not None:
                xml = osp.join(ann_root, osp.splitext(img_id)[0] + '.xml')
                if osp.isfile(xml):
                    used_xml.add(osp.normpath(xml))
                    parsed = self._read_xml(xml, img_id, label, index,
                                            problems)
                    if parsed is None:
                        continue
                    label, shape, boxes = parsed
                elif self.split == 'val':
                    problems.add('missing xml', src[0], src[1],
                                 f'image {img_id} has no box file {xml}')
                    continue
            if label is None:
                problems.add('no label', src[0], src[1],
                             f'image {img_id} has no class label')
                continue
            entries.append(
                self.make_entry(
                    self.img_prefix,
                    img_id,
                    label,
                    boxes,
                    ann_shape=shape,
                    _src=src))
        if ann_root is not None and self.split == 'val':
            self._check_unused_xml(ann_root, used_xml, problems)
        if self.split == 'val':
            return entries
        return split_holdout(entries, self.val_fraction,
                             held_out=self.split == 'holdout')

    def _read_xml(self, xml: str, img_id: str, label: Optional[int],
                  index: Dict[str, int], problems: AnnotationProblems):
        """``(label, shape, boxes)`` from a box file, or None if unusable."""
        try:
            ann = parse_voc_xml(xml)
        except VOCXMLError as err:
            problems.add('malformed xml', xml, err.line, err.message)
            return None
        if self.split == 'val':
            if not ann.objects:
                problems.add('no objects', xml, None,
                             f'no <object> for id {img_id}')
                return None
            first = ann.objects[0]
            for obj in ann.objects:
                if obj.name not in index:
                    problems.add(
                        'unknown class', xml, obj.name_line,
                        f'class {obj.name} of id {img_id} is not '
                        f'one of the {len(index)} classes')
                    return None
                if obj.name != first.name:
                    problems.add(
                        'mixed classes', xml, obj.name_line,
                        f'id {img_id} has objects of classes '
                        f'{first.name} and {obj.name}')
                    return None
            xml_label = index[first.name]
            if label is not None and label != xml_label:
                problems.add(
                    'label mismatch', xml, first.name_line,
                    f'class {first.name} (label {xml_label}) '
                    f'disagrees with label {label} of the list')
                return None
            label = xml_label
        boxes = [
            self.fit_box(obj.box, ann.shape, xml, obj.line, img_id, problems)
            for obj in ann.objects
        ]
        if any(box is None for box in boxes):
            return None
        return label, ann.shape, boxes

    @staticmethod
    def _check_unused_xml(ann_root: str, used: set,
                          problems: AnnotationProblems) -> None:
        for folder, _, files in os.walk(ann_root):
            for name in sorted(files):
                path = osp.normpath(osp.join(folder, name))
                if name.endswith('.xml') and path not in used:
                    problems.add('xml without image', path, None,
                                 'box file has no listed image')

    def extra_repr(self) -> List[str]:
        """Shown by ``repr(dataset)``."""
        body = [f'Split: \t{self.split}']
        if self.ann_dir is not None:
            body.append(f'Box files: \t{self.resolve(self.ann_dir)}')
        return body + super().extra_repr()
