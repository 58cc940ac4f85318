from . import crm_call_compliance_report
from . import crm_call_next_product_report
