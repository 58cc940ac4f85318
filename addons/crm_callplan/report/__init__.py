from . import crm_call_compliance_report
