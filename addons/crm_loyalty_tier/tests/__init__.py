from . import test_tiers
from . import test_tier_ledger
from . import test_tier_privileges
from . import test_portal
from . import test_spreadsheet_dashboard
