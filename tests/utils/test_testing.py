"""spol_mm.utils.testing: tools/test.py's command line as package functions."""
import pytest
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


def test_protocol_frame_flag_replaces_the_test_frame():
    config = 'configs/spol/mffnet1_lite0_8e_synthetic.py'
    args = make_test_parser().parse_args([config, '--protocol-frame'])
    cfg = merge_test_args(Config.fromfile(config), args)
    protocol = Config.fromfile(
        'configs/spol/mffnet1_lite0_8e_synthetic_protocol.py')
    assert cfg.test_dataloader.dataset.pipeline == \
        protocol.test_dataloader.dataset.pipeline
    # without the flag the config's own (cropping) frame stays
    cfg = merge_test_args(Config.fromfile(config),
                          make_test_parser().parse_args([config]))
    assert any(t['type'] == 'WSOLCenterCrop'
               for t in cfg.test_dataloader.dataset.pipeline)


def test_protocol_frame_names_the_config_when_it_cannot():
    config = 'configs/spol/trivial_box_synthetic.py'
    cfg = Config.fromfile(config)
    cfg.protocol_test_pipeline = None  # no declared frame: derived
    cfg.test_dataloader.dataset.pipeline.insert(
        1, dict(type='ColorJitter', brightness=0.1))
    args = make_test_parser().parse_args([config, '--protocol-frame'])
    with pytest.raises(ValueError, match='trivial_box_synthetic.py: cannot '
                       'put the test pipeline'):
        merge_test_args(cfg, args)


def test_show_flags_switch_the_visualization_hook_on():
    config = 'configs/spol/trivial_box_synthetic.py'
    args = make_test_parser().parse_args(
        [config, '--show', '--interval', '5', '--wait-time', '0.5'])
    hook = merge_test_args(Config.fromfile(config), args).default_hooks[
        'visualization']
    assert (hook.enable, hook.show, hook.interval, hook.wait_time) == \
        (True, True, 5, 0.5)
    assert hook.get('out_dir') is None  # shown, not written
    # mmseg's hook draws through its own switch and the visualizer's dir
    config = 'configs/spol/mffnet2_lite0_8e_synthetic.py'
    args = make_test_parser().parse_args([config, '--show-dir', 'vis'])
    cfg = merge_test_args(Config.fromfile(config), args)
    hook = cfg.default_hooks['visualization']
    assert hook.draw and hook.interval == 1 and not hook.get('show', False)
    assert cfg.visualizer.save_dir == 'vis'
