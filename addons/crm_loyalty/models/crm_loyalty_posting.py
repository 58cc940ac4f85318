from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .crm_loyalty_points_lot import POINT_SOURCES

POSTING_EVENTS = [
    ("earn", "Earned"),
    ("sale", "Order confirmed"),
    ("reverse", "Order cancelled"),
    ("redeem", "Redeemed"),
    ("refund", "Redemption cancelled"),
    ("expire", "Expired"),
    ("clawback", "Credit note"),
    ("release", "Pending points released"),
    ("adjust", "Adjusted"),
]


class CrmLoyaltyPosting(models.Model):
    """The points journal: one row per credit or debit of a card, with its
    source document (``res_model``, ``res_id``) and event.

    A posting that must happen once carries a ``key`` (the event, the
    document and, for orders, the confirmation cycle): the database refuses
    a second row with the same key on the same card, and the writers insert
    with ``ON CONFLICT DO NOTHING`` first and change the balance only for the
    rows that went in. Re-confirming an order, a job run twice, a request
    retried: the second pass writes nothing.

    Append-only, written by the server only (raw SQL: the rows are ours).
    """

    _name = "crm.loyalty.posting"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Loyalty Points Posting"
    _order = "id desc"
    _check_company_auto = True

    card_id = fields.Many2one("loyalty.card", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    event = fields.Selection(POSTING_EVENTS, required=True)
    source = fields.Selection(POINT_SOURCES)
    issued = fields.Float(default=0.0)
    used = fields.Float(default=0.0)
    owed = fields.Float(
        default=0.0, help="Points a credit note took back that the balance no longer held."
    )
    description = fields.Char()
    res_model = fields.Char("Document Model", index=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", index=True)
    origin = fields.Reference(
        selection="_selection_origin", string="Source Document", compute="_compute_origin"
    )
    key = fields.Char(help="What makes this posting unique on its card (empty: none).")

    _key_unique = models.UniqueIndex(
        "(card_id, key) WHERE key IS NOT NULL", "This posting has already been made."
    )
    _amounts_positive = models.Constraint(
        "CHECK (issued >= 0 AND used >= 0 AND coalesce(owed, 0) >= 0)",
        "A posting issues and uses non-negative points.",
    )

    @api.model
    def _selection_origin(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_origin(self):
        for posting in self:
            posting.origin = (
                f"{posting.res_model},{posting.res_id}"
                if posting.res_model in self.env and posting.res_id
                else False
            )

    @api.model
    def _loyalty_key(self, event, record, cycle=None):
        """The key of ``event`` on ``record`` (``cycle``: the how-manieth
        time, for documents that can be undone and done again)."""
        key = f"{event}:{record._name},{record.id}"
        return key if cycle is None else f"{key}:{cycle}"

    @api.model
    def _loyalty_post(self, rows):
        """Insert postings ``rows`` (dicts: card_id, event, source, issued,
        used, description, res_model, res_id, key) in one statement; a row
        whose ``(card_id, key)`` exists already is skipped. Returns the
        indexes of ``rows`` that went in."""
        if not rows:
            return set()
        self.flush_model()
        inserted = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_loyalty_posting
                       (card_id, partner_id, program_id, company_id, date, event, source,
                        issued, used, owed, description, res_model, res_id, key,
                        create_uid, create_date, write_uid, write_date)
                SELECT c.id, c.partner_id, c.program_id, c.company_id,
                       %(now)s, v.event, v.source, v.issued, v.used, v.owed,
                       v.description, v.res_model, v.res_id, v.key,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM unnest(%(cards)s::int[], %(events)s::varchar[], %(sources)s::varchar[],
                              %(issued)s::float[], %(used)s::float[], %(owed)s::float[],
                              %(descriptions)s::varchar[], %(models)s::varchar[],
                              %(res_ids)s::int[], %(keys)s::varchar[], %(idx)s::int[])
                       AS v(card_id, event, source, issued, used, owed, description, res_model,
                            res_id, key, idx)
                  JOIN loyalty_card c ON c.id = v.card_id
                 ORDER BY v.idx
                ON CONFLICT DO NOTHING
             RETURNING card_id, key
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                cards=[row["card_id"] for row in rows],
                events=[row["event"] for row in rows],
                sources=[row.get("source") for row in rows],
                issued=[row.get("issued", 0.0) for row in rows],
                used=[row.get("used", 0.0) for row in rows],
                owed=[row.get("owed", 0.0) for row in rows],
                descriptions=[row.get("description") for row in rows],
                models=[row.get("res_model") for row in rows],
                res_ids=[row.get("res_id") for row in rows],
                keys=[row.get("key") for row in rows],
                idx=list(range(len(rows))),
            )
        )
        self.invalidate_model()
        keyed = {(card_id, key) for card_id, key in inserted if key}
        accepted = set()
        for i, row in enumerate(rows):
            if not row.get("key"):
                accepted.add(i)
            elif (row["card_id"], row["key"]) in keyed:
                keyed.discard((row["card_id"], row["key"]))  # a twin in the batch: once
                accepted.add(i)
        return accepted
