from . import test_data_quality
from . import test_data_quality_access
from . import test_data_quality_tour
