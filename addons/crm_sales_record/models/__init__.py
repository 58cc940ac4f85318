from . import crm_customer_care_deferred
from . import crm_lead_stage_history
from . import res_partner_anonymise_stage_history
