from . import crm_customer_subject_access
