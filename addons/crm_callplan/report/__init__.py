from . import crm_call_compliance_report
from . import crm_call_allocation_period_report
from . import crm_call_next_product_report
