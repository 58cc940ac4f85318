from . import test_assignment
from . import test_plan
from . import test_power
from . import test_results
from . import test_rpc
from . import test_revenue
