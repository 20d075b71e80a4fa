from .annotation_problems import AnnotationProblems, WSOLAnnotationError
from .base_wsol_dataset import BaseWSOLDataset, seg_map_path_for
from .cub import CUB200WSOLDataset
from .imagenet import ImageNetWSOLDataset
from .transforms import *  # noqa: F401,F403
from .voc_xml import VOCXMLError, parse_voc_xml
from .wsol_metadata import (WSOLMetadata, WSOLMetadataError,
                            load_wsol_metadata, read_wsol_metadata)
from .wsol_metadata_dataset import WSOLMetadataDataset

__all__ = [
    'AnnotationProblems', 'WSOLAnnotationError', 'BaseWSOLDataset',
    'seg_map_path_for', 'CUB200WSOLDataset', 'ImageNetWSOLDataset',
    'WSOLMetadataDataset', 'WSOLMetadata', 'WSOLMetadataError',
    'read_wsol_metadata', 'load_wsol_metadata', 'VOCXMLError',
    'parse_voc_xml', 'PackWSOLInputs', 'LoadWSOLMask', 'WSOLCenterCrop',
    'WSOLRandomCrop'
]
