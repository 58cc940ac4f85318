from . import test_figures_cross_screen
from . import test_points_liability
from . import test_points_liability_rpc
from . import test_points_liability_allocation
