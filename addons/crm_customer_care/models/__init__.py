from . import crm_customer_care_chunked_job, crm_customer_segment
from . import res_partner
