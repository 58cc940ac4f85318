from . import test_partner_health
from . import test_health_screens
