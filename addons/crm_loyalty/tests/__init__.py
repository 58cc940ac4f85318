from . import test_concurrency
from . import test_points
from . import test_portal
from . import test_programme
from . import test_security_groups
from . import test_tiers
from . import test_tour
from . import test_subject_access
