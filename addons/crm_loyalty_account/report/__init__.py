from . import crm_loyalty_account_report
