from .backbones import *  # noqa: F401,F403
from .decode_heads import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .localizers import *  # noqa: F401,F403
from .mca import MultiplicativeChannelAttention
from .necks import *  # noqa: F401,F403

__all__ = [
    'EfficientNetLite', 'MultiplicativeChannelAttention', 'MFFNeck', 'CAMHead',
    'MaskedBCEHead', 'SPOLLocalizer', 'TrivialBoxLocalizer'
]
