from . import crm_loyalty_account_config
from . import crm_loyalty_account_use
from . import crm_loyalty_account_entry
from . import crm_loyalty_points_lot
from . import loyalty_card
