from . import crm_call_agency_agreement
from . import crm_call_agency
from . import crm_call
from . import crm_call_plan_run
from . import res_partner
from . import calendar_event
