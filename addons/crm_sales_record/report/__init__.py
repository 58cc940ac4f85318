from . import crm_sales_cycle_report
from . import crm_sales_cycle_lead_report
from . import crm_sales_cycle_activity_report
