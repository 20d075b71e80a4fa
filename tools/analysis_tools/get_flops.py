"""FLOPs and parameters of any spol_mm config's model (mmengine analysis)."""
import argparse

import torch
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config, DictAction

import spol_mm  # noqa: F401
from spol_mm.utils import build_model_from_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Get a model\'s complexity')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--shape', type=int, nargs='+', default=[224, 224],
                        help='input image size (H W, or one side)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, `xxx=yyy` pairs')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    model = build_model_from_config(cfg)
    h, w = (args.shape * 2)[:2]
    with torch.no_grad():
        info = get_model_complexity_info(
            model, input_shape=None, inputs=(torch.rand(1, 3, h, w), ),
            show_table=False, show_arch=False)
    print(f'config: {args.config}\ninput shape: (1, 3, {h}, {w})\n'
          f'FLOPs: {info["flops_str"]}\nparams: {info["params_str"]}')


if __name__ == '__main__':
    main()
