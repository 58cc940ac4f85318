from . import crm_call_policy
