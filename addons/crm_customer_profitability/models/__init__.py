from . import res_partner_profit
