from . import crm_call_compliance_report
from . import crm_call_allocation_period_report
