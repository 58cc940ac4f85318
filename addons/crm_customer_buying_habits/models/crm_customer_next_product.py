from odoo import api
from odoo import fields
from odoo import models


class CrmCustomerNextProduct(models.Model):
    """A product suggested to a customer who does not buy it yet (its top
    three, by ``sequence``), with the rule behind it. Written by the
    buying-habits job; a suggestion stays active while it is in the top
    three. When the customer buys the product afterwards (posted invoice),
    or wins an opportunity proposing it, the suggestion is closed as a hit
    (``hit_rate`` 100): the hit-rate report is its average per segment."""

    _name = "crm.customer.next.product"
    _description = "Next-Best Product"
    _order = "partner_id, sequence, id"
    _rec_name = "product_id"
    _check_company_auto = True

    active = fields.Boolean(default=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="cascade", readonly=True
    )
    sequence = fields.Integer("Rank", readonly=True)
    segment_id = fields.Many2one(
        "crm.customer.segment",
        "Customer Segment",
        readonly=True,
        index=True,
        help="The customer's segment when the product was suggested.",
    )
    scope_segment_id = fields.Many2one(
        "crm.customer.segment",
        "Rule Scope",
        readonly=True,
        help="The segment whose customers the rule was learnt on (empty: the whole company).",
    )
    antecedent_product_id = fields.Many2one(
        "product.product", "Because They Buy", readonly=True, ondelete="set null"
    )
    confidence = fields.Float(readonly=True, aggregator="avg", digits=(16, 4))
    lift = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))
    reason = fields.Char(compute="_compute_reason")
    date_suggested = fields.Date(readonly=True, index=True)
    date_closed = fields.Date(readonly=True)
    hit_date = fields.Date(readonly=True)
    hit_move_id = fields.Many2one("account.move", "Hit Invoice", readonly=True, ondelete="set null")
    hit_lead_id = fields.Many2one("crm.lead", "Hit Opportunity", readonly=True, ondelete="set null")
    hit_rate = fields.Float(
        "Hit Rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a suggestion the customer bought, 0 otherwise: its average is the rate.",
    )

    _active_unique = models.UniqueIndex(
        "(partner_id, company_id, product_id) WHERE active",
        "A product is suggested once at a time to a customer.",
    )

    @api.depends("confidence", "lift", "scope_segment_id", "antecedent_product_id", "product_id")
    def _compute_reason(self):
        for line in self:
            who = line.scope_segment_id.name or self.env._("customers")
            percent = round(100 * line.confidence)
            if line.antecedent_product_id:
                line.reason = self.env._(
                    "bought by %(percent)s%% of %(who)s who buy %(product)s; lift %(lift)s",
                    percent=percent,
                    who=who,
                    product=line.antecedent_product_id.display_name,
                    lift=f"{line.lift:.1f}",
                )
            else:
                line.reason = self.env._(
                    "bought by %(percent)s%% of %(who)s", percent=percent, who=who
                )
