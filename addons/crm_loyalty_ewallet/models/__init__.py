from . import crm_loyalty_redemption
from . import loyalty_program
