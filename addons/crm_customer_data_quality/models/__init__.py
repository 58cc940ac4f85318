from . import crm_data_quality_check
from . import crm_data_quality_issue
from . import res_partner
from . import res_partner_anonymise
