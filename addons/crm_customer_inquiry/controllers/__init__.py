from . import helpdesk_portal
