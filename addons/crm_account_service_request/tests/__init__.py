from . import test_service_request
from . import test_statutory_request
from . import test_request_invariants
from . import test_request_access
from . import test_day_tours
