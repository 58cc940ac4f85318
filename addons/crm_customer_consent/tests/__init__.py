from . import test_consent
from . import test_privacy_paths
from . import test_server_invariants
from . import test_subject_access
from . import test_suppression
from . import test_day_tours
