from . import test_ewallet
