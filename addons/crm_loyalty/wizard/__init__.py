from . import loyalty_card_update_balance
from . import loyalty_generate_wizard
