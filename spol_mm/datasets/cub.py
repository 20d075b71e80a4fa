"""CUB-200-2011 in its native layout, with boxes and optional masks."""
import os.path as osp
import re
from typing import List, Optional

from spol_mm.registry import DATASETS
from spol_mm.structures import xywh_to_xyxy
from spol_mm.utils.checks import check_choice
from .annotation_problems import (AnnotationProblems, check_same_keys,
                                  parse_float, parse_int, read_keyed_table,
                                  require_dir, require_file)
from .base_wsol_dataset import BaseWSOLDataset, split_holdout

CUB_SPLITS = ('train', 'val', 'test')


def _one_int(what: str):
    return lambda fields: parse_int(fields[0], what)


def _xywh(fields: List[str]):
    return tuple(
        parse_float(v, name)
        for v, name in zip(fields, ('x', 'y', 'width', 'height')))


def _class_name(folder: str) -> str:
    """``'001.Black_footed_Albatross'`` -> ``'Black_footed_Albatross'``."""
    return re.sub(r'^\d+\.', '', folder)


@DATASETS.register_module()
class CUB200WSOLDataset(BaseWSOLDataset):
    """CUB-200-2011 for weakly supervised object localisation.

    Reads the dataset's own files under ``data_root``::

        images.txt              <id> <relative image path>
        image_class_labels.txt  <id> <label, from 1>
        train_test_split.txt    <id> <1 = train, 0 = test>
        bounding_boxes.txt      <id> <x> <y> <width> <height>
        classes.txt             <class id> <name>
        images/                 the images
        segmentations/          optional GT masks, ``<image path>.png``

    Every file is checked up front (malformed lines, duplicate ids, ids
    missing from a file or unknown to ``images.txt``, labels out of range,
    empty boxes); all problems come in one error naming file and line.
    Labels become 0-based, boxes ``x0, y0, x1 = x + width, y1 = y +
    height``. The image size is not in the text files, so only negative
    box coordinates count as outside the image here (the pipeline's
    ``Resize`` clips the rest to the image).

    Args:
        data_root (str): The ``CUB_200_2011`` folder.
        split (str): ``'train'``, ``'val'`` or ``'test'``. CUB has no
            validation split: with ``val_fraction > 0``, ``'val'`` is a
            deterministic per-class hold-out of the official training
            images (:func:`holdout_ids`) and ``'train'`` the rest; with
            ``val_fraction=0`` (the paper's setting) ``'train'`` is the
            whole official training split and ``'val'`` is refused.
            Defaults to ``'train'``.
        val_fraction (float): Share of each class's training images held
            out as ``'val'``. Defaults to 0.
        data_prefix (str | dict): Image root, relative to ``data_root``.
            Defaults to ``'images'``.
        mask_dir (str, optional): GT mask root (relative to ``data_root``).
            Used when it exists, then every image must have its mask;
            ``gt_mask_path`` is None otherwise. Defaults to
            ``'segmentations'``.
        **kwargs: :class:`BaseWSOLDataset` arguments (``seg_map_root``,
            ``box_outside``, ``check_files``, ``pipeline``, ``metainfo`` ...).
    """

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 data_prefix='images',
                 mask_dir: Optional[str] = 'segmentations',
                 val_fraction: float = 0.0,
                 **kwargs) -> None:
        check_choice('CUB200WSOLDataset: split', split, CUB_SPLITS)
        if split == 'val' and not val_fraction > 0:
            raise ValueError(
                "CUB200WSOLDataset: split='val' is a hold-out of the "
                'training images; set val_fraction > 0 (e.g. 0.1)')
        self.split = split
        self.val_fraction = val_fraction
        self.mask_dir = mask_dir
        super().__init__(
            data_root=data_root, data_prefix=data_prefix, **kwargs)

    def load_entries(self, problems: AnnotationProblems) -> List[dict]:
        """Parse the CUB files into entries of the chosen split."""
        require_dir(self.data_root, 'CUB-200-2011 data_root')
        paths = {
            name:
            require_file(
                self.resolve(name + '.txt'), f'CUB-200-2011 {name}.txt')
            for name in ('images', 'image_class_labels', 'train_test_split',
                         'bounding_boxes', 'classes')
        }
        images = read_keyed_table(
            paths['images'],
            2,
            problems,
            lambda f: f[0],
            layout='<id> <relative image path>')
        labels = read_keyed_table(
            paths['image_class_labels'],
            2,
            problems,
            _one_int('label'),
            layout='<id> <label>')
        splits = read_keyed_table(
            paths['train_test_split'],
            2,
            problems,
            _one_int('split flag'),
            layout='<id> <1 = train, 0 = test>')
        boxes = read_keyed_table(
            paths['bounding_boxes'],
            5,
            problems,
            _xywh,
            layout='<id> <x> <y> <width> <height>')
        classes = read_keyed_table(
            paths['classes'],
            2,
            problems,
            lambda f: f[0],
            layout='<class id> <class name>',
            key_name='class id')
        for name in ('image_class_labels', 'train_test_split',
                     'bounding_boxes'):
            table = dict(
                image_class_labels=labels,
                train_test_split=splits,
                bounding_boxes=boxes)[name]
            check_same_keys(images, paths['images'], table, paths[name],
                            problems)
        names = self._class_names(classes, paths['classes'], problems)
        num_classes = self.set_classes(names, paths['classes'])

        mask_root = None
        if self.mask_dir is not None and osp.isdir(
                self.resolve(self.mask_dir)):
            mask_root = self.resolve(self.mask_dir)

        want = 0 if self.split == 'test' else 1
        entries = []
        for img_key in sorted(images, key=_id_order):
            line, img_id = images[img_key]
            if img_key not in labels or img_key not in splits \
                    or img_key not in boxes:
                continue  # recorded by check_same_keys
            split_line, flag = splits[img_key]
            if flag not in (0, 1):
                problems.add(
                    'bad split flag', paths['train_test_split'], split_line,
                    f'split flag {flag} for id '
                    f'{img_key} is neither 1 (train) nor 0 (test)')
                continue
            label_line, label = labels[img_key]
            if not 1 <= label <= num_classes:
                problems.add(
                    'label out of range', paths['image_class_labels'],
                    label_line, f'label {label} out of range 1..{num_classes} '
                    f'for id {img_key}')
                continue
            box_line, xywh = boxes[img_key]
            box = self.fit_box(
                xywh_to_xyxy(*xywh), None, paths['bounding_boxes'], box_line,
                img_key, problems)
            if flag != want or box is None:
                continue
            mask = None
            if mask_root is not None:
                mask = osp.abspath(
                    osp.join(mask_root,
                             osp.splitext(img_id)[0] + '.png'))
            entries.append(
                self.make_entry(
                    self.img_prefix,
                    img_id,
                    label - 1, [box],
                    gt_mask_path=mask,
                    _src=(paths['images'], line)))
        if self.split == 'test':
            return entries
        return split_holdout(entries, self.val_fraction,
                             held_out=self.split == 'val')

    @staticmethod
    def _class_names(classes: dict, path: str,
                     problems: AnnotationProblems) -> List[str]:
        """Names in class-id order; ids must run 1..K."""
        ordered = []
        for key, (line, name) in classes.items():
            try:
                ordered.append((parse_int(key, 'class id'), line, name))
            except ValueError as err:
                problems.add('malformed', path, line, str(err))
        ordered.sort()
        for expected, (cid, line, _) in enumerate(ordered, start=1):
            if cid != expected:
                problems.add(
                    'class ids', path, line,
                    f'class ids must run 1..{len(ordered)} in '
                    f'order, found {cid} where {expected} belongs')
                break
        return [_class_name(name) for _, _, name in ordered]

    def extra_repr(self) -> List[str]:
        """Shown by ``repr(dataset)``."""
        split = self.split if not self.val_fraction or self.split == 'test' \
            else f'{self.split} (val_fraction={self.val_fraction})'
        return [f'Split: \t{split}'] + super().extra_repr()


def _id_order(key: str):
    """Numeric ids in numeric order, anything else after, by text."""
    return (0, int(key), '') if key.isdigit() else (1, 0, key)
