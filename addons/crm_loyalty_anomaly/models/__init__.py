from . import loyalty_program
from . import crm_loyalty_anomaly
