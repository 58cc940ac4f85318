from . import test_stage_history
from . import test_sales_statistics
from . import test_production_data
