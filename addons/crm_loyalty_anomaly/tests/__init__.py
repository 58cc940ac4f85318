from . import test_anomalies
from . import test_day_tours
