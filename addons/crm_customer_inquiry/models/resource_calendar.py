from odoo import models


class ResourceCalendar(models.Model):
    """No calendar, no working hours: ``helpdesk_mgmt_sla`` counts the time
    an SLA ran in its ticket's team's calendar, and an inquiry taken without
    a team has none (its SLA time is counted in the company's calendar by
    ``helpdesk.ticket.sla._stage_recompute``)."""

    _inherit = "resource.calendar"

    def get_work_hours_count(self, start_dt, end_dt, compute_leaves=True, domain=None):
        if not self:
            return 0.0
        return super().get_work_hours_count(
            start_dt, end_dt, compute_leaves=compute_leaves, domain=domain
        )
