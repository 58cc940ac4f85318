from . import crm_call_effectiveness
from . import crm_call_effectiveness_line
