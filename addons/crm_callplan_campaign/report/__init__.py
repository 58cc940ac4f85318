from . import crm_call_next_product_report
