from . import test_agent_security
from . import test_call
from . import test_effectiveness
from . import test_plan_generation
from . import test_portal
from . import test_security_groups
from . import test_tour
from . import test_subject_access
