"""19.0.4.0.0: relationship health and lifecycle are an addon of their own.

The health score, its breakdown, the last purchase, the lifecycle stage and
its override (res.partner columns, kept as they are), the health history,
the thresholds and weights of res.company and the settings, the daily
recompute, the health history's access and rule, menu and views moved to
``crm_customer_health``; the segment analysis gains its lifecycle and
health columns from there (``_ccare_partner_columns``). A database of the
earlier release keeps every record and XML id: they move to the new addon,
which installs in the same ``-u crm_customer_care`` (crm_customer_care/split.py
says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_customer_care, one per line
NEW_ADDONS = [
    "crm_customer_health",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_customer_care", NEW_ADDONS)
    # The History button sat after the core form's Recompute button, which
    # now comes with the health addon's own form view: until the health addon
    # loads the button's view again (under its new parent), the view is
    # empty, so the new form view validates without it.
    cr.execute(
        """
        UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', '<data/>')
          FROM ir_model_data d
         WHERE d.model = 'ir.ui.view' AND d.res_id = ir_ui_view.id
           AND d.module = 'crm_customer_health' AND d.name = 'res_partner_view_form_health_history'
        """
    )
