from . import models
from . import crm_lead
from . import mailing_contact
from . import mailing_list
from . import mailing_mailing
from . import crm_customer_target_list
from . import res_partner
