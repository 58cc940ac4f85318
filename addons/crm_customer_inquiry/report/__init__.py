from . import crm_customer_inquiry_report
from . import crm_sales_activity_report
