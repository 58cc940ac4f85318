import base64

from odoo.tools import file_open

DASHBOARD = "crm_loyalty.spreadsheet_dashboard_loyalty"


def uninstall_hook(env):
    """Give the Loyalty dashboard crm_loyalty's own document back: the one
    this addon loaded reads the roll-forward, which goes with it."""
    dashboard = env.ref(DASHBOARD, raise_if_not_found=False)
    if dashboard:
        with file_open("crm_loyalty/data/files/loyalty_dashboard.json", "rb") as document:
            dashboard.spreadsheet_binary_data = base64.b64encode(document.read())
