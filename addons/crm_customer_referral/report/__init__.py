from . import crm_customer_referral_report
