"""Registered WSOL metrics."""
from .dump_score_maps import DumpWSOLScoreMaps
from .wsol_box_metric import WSOLBoxMetric, protocol_score_map

__all__ = ['DumpWSOLScoreMaps', 'WSOLBoxMetric', 'protocol_score_map']
