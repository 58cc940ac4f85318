from odoo import fields
from odoo import models


class CrmCallAgency(models.Model):
    """An agency works under its data-processing agreements."""

    _inherit = "crm.call.agency"

    agreement_ids = fields.One2many(
        "crm.call.agency.agreement", "agency_id", string="Data-Processing Agreements"
    )
    agreement_in_force_count = fields.Integer(
        "Agreements in Force", compute="_compute_agreement_in_force_count"
    )

    def _compute_agreement_in_force_count(self):
        today = fields.Date.context_today(self)
        for agency in self:
            agency.agreement_in_force_count = len(
                agency.agreement_ids.filtered(
                    lambda a: a.state == "in_force" and a.date_start <= today <= a.date_end
                )
            )

    def _agreement_for(self, purpose, channel, day):
        """The agreement under which the agency makes a call for ``purpose``
        on ``channel`` on ``day``: one put in force (still in force, or
        ended since: it stays the record of what was shared) whose term
        holds the day, the latest started; or an empty recordset."""
        self.ensure_one()
        return self.agreement_ids.sorted(lambda a: (a.date_start, a.id), reverse=True).filtered(
            lambda a: (
                a.state != "draft"
                and a.date_start <= day <= (a.date_ended or a.date_end)
                and a._covers(purpose, channel)
            )
        )[:1]

    def _agreement_covers_period(self, purpose, channel, date_from, date_to):
        """The agencies of ``self`` with an agreement in force that covers
        ``purpose`` on ``channel`` from ``date_from`` to ``date_to``."""
        return self.filtered(
            lambda agency: agency.agreement_ids.filtered(
                lambda a: (
                    a.state == "in_force"
                    and a.date_start <= date_from
                    and date_to <= a.date_end
                    and a._covers(purpose, channel)
                )
            )
        )
