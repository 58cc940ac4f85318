from . import crm_customer_subject_access
from . import crm_account_service_request_closure
