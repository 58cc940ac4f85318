from . import test_customer_import
from . import test_customer_import_tour
