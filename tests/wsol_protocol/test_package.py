"""The protocol package stands alone: numpy and OpenCV only."""
import subprocess
import sys


def test_importing_the_protocol_loads_no_deep_learning_stack():
    code = (
        'import sys\n'
        'import wsol_protocol, wsol_protocol.saved_maps, '
        'wsol_protocol.tables, wsol_protocol.fileio\n'
        "heavy = [m for m in ('torch', 'mmengine', 'mmcv', 'mmpretrain', "
        "'mmseg', 'spol_mm') if m in sys.modules]\n"
        'print(heavy)\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == '[]'


def test_spol_mm_names_are_the_protocol_package_objects():
    import spol_mm.datasets.wsol_metadata as old_meta
    import spol_mm.evaluation.functional as functional
    import spol_mm.structures as structures
    import wsol_protocol
    from wsol_protocol import boxes, metadata, metrics
    assert functional.WSOLProtocolAccumulator is \
        wsol_protocol.WSOLProtocolAccumulator
    assert functional.box_best_ious is metrics.box_best_ious
    assert structures.box_iou is boxes.box_iou
    assert old_meta.load_wsol_metadata is metadata.load_wsol_metadata
