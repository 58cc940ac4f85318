from . import crm_customer_sensitive_access
from . import res_partner_sensitive
from . import res_partner_hkid
from . import res_partner_subject_access
from . import res_users_sensitive
from . import base_sensitive_export
