from .annotation_problems import AnnotationProblems, WSOLAnnotationError
from .base_wsol_dataset import BaseWSOLDataset, seg_map_path_for
from .boxes import crop_boxes
from .cub import CUB200WSOLDataset
from .imagenet import ImageNetWSOLDataset
from .transforms import *  # noqa: F401,F403
from .voc_xml import VOCXMLError, parse_voc_xml
from .wsol_metadata import (WSOLMetadata, WSOLMetadataDataset,
                            read_wsol_metadata)

__all__ = [
    'AnnotationProblems', 'WSOLAnnotationError', 'BaseWSOLDataset',
    'seg_map_path_for', 'crop_boxes', 'CUB200WSOLDataset',
    'ImageNetWSOLDataset', 'WSOLMetadataDataset', 'WSOLMetadata',
    'read_wsol_metadata', 'VOCXMLError', 'parse_voc_xml', 'PackWSOLInputs',
    'LoadWSOLMask', 'WSOLCenterCrop', 'WSOLRandomCrop'
]
