import importlib.metadata

from packaging.version import Version

try:
    import bitsandbytes as bnb

    try:
        BNB_VERSION = Version(bnb.__version__)
    except AttributeError:
        BNB_VERSION = Version(importlib.metadata.version("bitsandbytes"))

    IS_4BIT_BNB_AVAILABLE = BNB_VERSION >= Version("0.39.0")
    IS_8BIT_BNB_AVAILABLE = BNB_VERSION >= Version("0.37.2")
except ImportError:
    IS_4BIT_BNB_AVAILABLE = False
    IS_8BIT_BNB_AVAILABLE = False
