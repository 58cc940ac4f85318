from . import test_effectiveness
from . import test_revenue_cross_screen
