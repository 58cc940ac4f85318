from . import crm_call_experiment
from . import crm_call_experiment_arm
from . import crm_call_experiment_member
from . import crm_call_experiment_result
from . import crm_call_plan_run
