from . import test_call_back
from . import test_day_tours
