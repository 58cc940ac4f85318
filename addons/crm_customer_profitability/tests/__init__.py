from . import test_partner_pnl
from . import test_pnl_cross_screen
from . import test_pnl_sensitive
