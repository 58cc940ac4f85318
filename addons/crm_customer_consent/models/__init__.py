from . import crm_customer_consent
from . import crm_customer_suppression
from . import mail_mail
from . import mail_thread_blacklist
from . import mail_thread_phone
from . import res_partner
from . import res_partner_anonymise
from . import res_partner_subject_access
