from . import crm_segment_analysis_report
from . import crm_customer_revenue_report
