from . import crm_customer_import_wizard
