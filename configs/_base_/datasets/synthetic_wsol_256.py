# Where the generated benchmark lives for the pretrained (Lite0) configs:
# `tools/make_synthetic_wsol.py --size 256` in the native CUB-200-2011 layout,
# read with CUB's pipelines (the paper's 256 -> 224 frames).
synthetic_root = 'data/synthetic_wsol_256'
synthetic_classes = 8
