from . import test_chunked_job, test_security_groups, test_tour
