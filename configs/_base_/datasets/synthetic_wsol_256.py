# Where the generated CUB-like benchmark lives for the pretrained (Lite0)
# configs: `tools/dataset_converters/make_synthetic_wsol.py` (default
# `--benchmark cub_like`: 12 classes in 4 families, 256 px) in the native
# CUB-200-2011 layout, read with CUB's pipelines (the paper's 256 -> 224
# frames) and CUB's val hold-out.
synthetic_root = 'data/cub_like_wsol'
synthetic_classes = 12
