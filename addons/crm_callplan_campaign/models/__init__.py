from . import crm_call
from . import crm_call_plan_run
from . import crm_call_plan_run_results
from . import crm_customer_target_list
from . import crm_lead
