from . import test_retention
from . import test_subject_access
