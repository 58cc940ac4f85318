from . import test_sample
from . import test_scorecard
from . import test_report
from . import test_rpc
from . import test_demo
