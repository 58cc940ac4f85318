from . import test_clawback
from . import test_clawback_pending
