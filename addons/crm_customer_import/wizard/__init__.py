from . import crm_customer_import_wizard
from . import crm_customer_import_wizard_mapping
