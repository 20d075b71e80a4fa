"""``WSOLMetadataDataset``: a WSOL data set described by the metadata files
of Choe et al. (CVPR 2020, ``wsolevaluation``), read by
:func:`~spol_mm.datasets.wsol_metadata.read_wsol_metadata`."""
import os.path as osp
from typing import List, Optional

from spol_mm.registry import DATASETS
from .annotation_problems import AnnotationProblems
from .base_wsol_dataset import BaseWSOLDataset
from .wsol_metadata import read_wsol_metadata


@DATASETS.register_module()
class WSOLMetadataDataset(BaseWSOLDataset):
    """A WSOL data set described by ``wsolevaluation`` metadata files.

    See :mod:`spol_mm.datasets.wsol_metadata` for the files; boxes of zero
    width or height are refused. ``gt_bboxes`` holds every box of
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
