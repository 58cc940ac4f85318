from . import crm_lead_qualification_ruleset
from . import crm_lead_qualification_rescore_mixin
from . import crm_lead_qualification_criterion
from . import crm_lead_qualification_grade
from . import crm_lead
from . import crm_customer_care_deferred
from . import res_partner
