try:
    import bitsandbytes as bnb

    IS_4BIT_BNB_AVAILABLE = bnb.__version__ >= "0.39.0"
    IS_8BIT_BNB_AVAILABLE = bnb.__version__ >= "0.37.2"
except ImportError:
    IS_4BIT_BNB_AVAILABLE = False
    IS_8BIT_BNB_AVAILABLE = False
