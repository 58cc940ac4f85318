from . import test_agent_security
