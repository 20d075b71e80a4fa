"""spol_mm.utils.testing: tools/test.py's command line as package functions."""
from mmengine.config import Config

from spol_mm.utils.testing import (make_test_parser, merge_test_args,
                                   unique_name)


def test_merge_test_args_applies_the_command_line():
    args = make_test_parser().parse_args([
        'configs/spol/trivial_box_synthetic.py', 'ckpt.pth', '--out',
        'r.pkl', '--cfg-options', 'test_dataloader.batch_size=3'
    ])
    cfg = merge_test_args(
        Config.fromfile('configs/spol/trivial_box_synthetic.py'), args)
    assert cfg.load_from == 'ckpt.pth'
    assert cfg.test_dataloader.batch_size == 3
    assert cfg.work_dir.endswith('trivial_box_synthetic')
    # a .pkl --out dumps the predictions through the evaluator
    assert cfg.test_evaluator[-1]['type'] == 'DumpResults'


def test_unique_name():
    taken = []
    a, b = unique_name('x', taken), unique_name('x', taken)
    assert a != b and a.startswith('x_') and taken == [a, b]
