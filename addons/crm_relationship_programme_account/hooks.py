from odoo.tools import SQL


def uninstall_hook(env):
    """The effectiveness view reads the points sub-ledger, which may go
    with this addon: recreate it with nothing deferred."""
    env["crm.relationship.effectiveness.report"]._loyalty_create_view(SQL("SELECT 0 AS amount"))
