from . import test_points_liability
from . import test_points_liability_rpc
