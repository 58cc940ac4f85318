from . import test_agreement
from . import test_agent_access
from . import test_planning
from . import test_rpc
