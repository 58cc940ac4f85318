from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmCallNextProductReport(models.Model):
    """Hit rate of next-best-product suggestions per segment and caller.

    One row per suggestion and caller who called the customer (a done call)
    while the suggestion was open (from the day it was suggested to the day
    it closed, or today); a suggestion no caller called about has one row
    with no caller. ``hit_rate`` is 100 for a suggestion the customer bought
    (or won an opportunity for), 0 otherwise, so the pivot's average is the
    hit rate of the group."""

    _name = "crm.call.next.product.report"
    _description = "Next-Best Product Hits per Caller"
    _auto = False
    _rec_name = "product_id"
    _order = "date_suggested desc, id desc"

    next_product_id = fields.Many2one("crm.customer.next.product", "Suggestion", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", "Caller", readonly=True)
    caller_id = fields.Many2one("crm.call.caller", "Caller Profile", readonly=True)
    date_suggested = fields.Date(readonly=True)
    call_count = fields.Integer("Calls", readonly=True, aggregator="sum")
    is_hit = fields.Boolean("Hit", readonly=True)
    hit_rate = fields.Float("Hit Rate (%)", readonly=True, aggregator="avg", digits=(16, 1))

    _depends = {
        "crm.customer.next.product": [
            "partner_id",
            "product_id",
            "segment_id",
            "company_id",
            "date_suggested",
            "date_closed",
            "hit_rate",
            "active",
        ],
        "crm.call": ["partner_id", "user_id", "caller_id", "state", "date_done", "company_id"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY s.id, c.user_id NULLS FIRST) AS id,
                   s.id AS next_product_id, s.partner_id, s.product_id, s.segment_id,
                   s.company_id, s.date_suggested, c.user_id, c.caller_id,
                   coalesce(c.calls, 0) AS call_count,
                   coalesce(s.hit_rate, 0) > 0 AS is_hit,
                   coalesce(s.hit_rate, 0) AS hit_rate
              FROM crm_customer_next_product s
         LEFT JOIN LATERAL (
                   SELECT k.user_id, min(k.caller_id) AS caller_id, count(*) AS calls
                     FROM crm_call k
                    WHERE k.partner_id = s.partner_id AND k.company_id = s.company_id
                      AND k.state = 'done'
                      AND k.date_done::date >= s.date_suggested
                      AND k.date_done::date <= coalesce(s.date_closed, 'infinity'::date)
                    GROUP BY k.user_id
             ) c ON true
            """
        )
