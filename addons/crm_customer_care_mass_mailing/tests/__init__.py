from . import test_mailing_list_bridge
from . import test_unsubscribe
