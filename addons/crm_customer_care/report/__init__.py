from . import crm_customer_referral_report
from . import crm_sales_cycle_report
from . import crm_sales_cycle_lead_report
from . import crm_sales_cycle_activity_report
from . import crm_segment_analysis_report
from . import crm_customer_revenue_report
