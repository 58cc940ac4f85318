from . import test_inquiry
from . import test_inquiry_portal
from . import test_inquiry_subject_access
from . import test_inquiry_queue_tour
from . import test_inquiry_dashboard
from . import test_day_tours
