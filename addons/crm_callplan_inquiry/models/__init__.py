from . import crm_call
