from . import crm_customer_anonymisation
from . import res_company
from . import res_config_settings
from . import res_partner
