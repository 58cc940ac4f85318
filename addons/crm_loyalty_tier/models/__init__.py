from . import crm_loyalty_tier
from . import crm_loyalty_tier_history
from . import loyalty_card
from . import loyalty_program
from . import loyalty_reward
from . import res_partner
from . import sale_order
