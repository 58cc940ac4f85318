from . import test_mailing_list_bridge
from . import test_unsubscribe
from . import test_attack_mailing
from . import test_attack_unsubscribe
