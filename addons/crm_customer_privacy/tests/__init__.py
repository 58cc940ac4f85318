from . import test_retention
from . import test_subject_access
from . import test_privacy_officer_day
