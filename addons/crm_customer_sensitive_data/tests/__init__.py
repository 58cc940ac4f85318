from . import test_sensitive_data
from . import test_hkid
from . import test_server_invariants
from . import test_attack_domains
