from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CrmCustomerRfmClass(models.Model):
    """A named RFM class (Champions, Loyal, Need Attention...): ranges of the
    recency, frequency and monetary quintile scores (1-5). A customer takes
    the first class, by sequence, whose three ranges hold its scores; the
    defaults (data, noupdate) cover every combination."""

    _name = "crm.customer.rfm.class"
    _description = "RFM Class"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable key for filters and segment rules.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to use the class in every company."
    )
    description = fields.Text(translate=True)
    recency_min = fields.Integer("Recency from", default=1)
    recency_max = fields.Integer("Recency to", default=5)
    frequency_min = fields.Integer("Frequency from", default=1)
    frequency_max = fields.Integer("Frequency to", default=5)
    monetary_min = fields.Integer("Monetary from", default=1)
    monetary_max = fields.Integer("Monetary to", default=5)
    partner_count = fields.Integer("Customers", compute="_compute_partner_count")

    _code_company_unique = models.Constraint(
        "UNIQUE(code, company_id)", "An RFM class with this code already exists in this company."
    )

    @api.constrains(
        "recency_min",
        "recency_max",
        "frequency_min",
        "frequency_max",
        "monetary_min",
        "monetary_max",
    )
    def _check_ranges(self):
        for rfm_class in self:
            for label, low, high in (
                (self.env._("recency"), rfm_class.recency_min, rfm_class.recency_max),
                (self.env._("frequency"), rfm_class.frequency_min, rfm_class.frequency_max),
                (self.env._("monetary"), rfm_class.monetary_min, rfm_class.monetary_max),
            ):
                if not 1 <= low <= high <= 5:
                    raise ValidationError(
                        self.env._(
                            "RFM class “%(name)s”: the %(score)s range must lie within 1-5 and "
                            "start no higher than it ends (%(low)s-%(high)s).",
                            name=rfm_class.name,
                            score=label,
                            low=low,
                            high=high,
                        )
                    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("rfm_class_id", "in", self.ids)], ["rfm_class_id"], ["__count"]
            )
        )
        for rfm_class in self:
            rfm_class.partner_count = counts.get(rfm_class, 0)

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_care.res_partner_action_customers"
        )
        action.update(domain=[("rfm_class_id", "=", self.id)], name=self.display_name)
        return action
