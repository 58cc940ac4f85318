from . import crm_customer_import
from . import crm_customer_import_line
from . import res_partner_anonymise_import
