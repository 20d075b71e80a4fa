# Runtime of the mmpretrain-scoped configs (stage 1, classifiers,
# localisers): mmpretrain's, with spol_mm imported and WSOL pictures for
# `tools/test.py --show-dir` (the score map as colours, the predicted box
# and class, the GT boxes; one per test image).
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)
visualizer = dict(type='WSOLVisualizer')
default_hooks = dict(visualization=dict(interval=1))
