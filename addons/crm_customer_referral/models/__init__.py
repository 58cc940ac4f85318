from . import res_partner_referral
from . import crm_lead_referral
from . import account_move_referral
