from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import models
from odoo.fields import Domain


class ResPartner(models.Model):
    """What serving a customer costs: the activities done with it, at the
    unit cost of their types, plus what other addons add (calls,
    relationship programmes). The customer's P&L (crm_customer_profitability)
    reads it."""

    _inherit = "res.partner"

    def _ccare_cost_to_serve(self, date_from, date_to):
        """Return ``{partner_id: amount}``: what serving each partner in
        ``self`` cost over ``[date_from, date_to]`` (dates included), in the
        company currency. The P&L calls it on commercial partners, whose
        amount must include their contacts'.

        This is the one extension point of the cost to serve. The base counts
        the activities done in the period (mail.message with an activity
        type) on the partner, its contacts or their leads, each at the unit
        cost of its activity type (``mail.activity.type.ccare_unit_cost``).
        Other addons add their own costs by summing with super::

            def _ccare_cost_to_serve(self, date_from, date_to):
                costs = super()._ccare_cost_to_serve(date_from, date_to)
                for partner_id, amount in my_costs.items():  # set-based
                    costs[partner_id] = costs.get(partner_id, 0.0) + amount
                return costs

        Every implementation must be set-based (a few queries for all of
        ``self``) and may run as superuser.
        """
        costs = dict.fromkeys(self.ids, 0.0)
        if not self:
            return costs
        partners = self.sudo()
        sources, targets = partners._ccare_rollup_scope()
        lead_map = sources._ccare_lead_partner_map()
        start = datetime.combine(date_from, time.min)
        stop = datetime.combine(date_to + timedelta(days=1), time.min)
        rows = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                sources._ccare_document_domain(lead_map)
                & Domain("mail_activity_type_id", "!=", False)
                & Domain("date", ">=", start)
                & Domain("date", "<", stop),
                ["model", "res_id", "mail_activity_type_id"],
                ["__count"],
            )
        )
        for model, res_id, activity_type, count in rows:
            source_id = self._ccare_document_partner_id(model, res_id, lead_map)
            for target_id in targets.get(source_id, ()):
                costs[target_id] += count * activity_type.ccare_unit_cost
        currency = self.env.company.currency_id
        return {pid: currency.round(amount) for pid, amount in costs.items()}
