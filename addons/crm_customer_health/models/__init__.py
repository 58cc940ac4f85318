from . import res_partner_health
from . import crm_customer_health_history
from . import account_move_health
from . import res_company
from . import res_config_settings
from . import res_partner_subject_access
