from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

FLAG_KINDS = [
    ("velocity", "Earning velocity"),
    ("quick_redeem", "Redeemed right after earning"),
    ("shared_contact", "Cards sharing an e-mail or phone"),
    ("refunded_source", "Points from a refunded source"),
]


class CrmLoyaltyFlag(models.Model):
    """An anomaly on a loyalty card for the loyalty managers' review queue:
    why it was raised (with the figures), and, once looked at, who cleared
    it, when and why. Raised by the detection job only (one pass over the
    journal per rule, ``_crm_detect_anomalies``); a flag is raised once per
    card, kind and cause (its ``key``), so re-running the job raises nothing
    new. Its state changes only through ``action_clear``."""

    _name = "crm.loyalty.flag"
    _description = "Loyalty Anomaly Flag"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "state, id desc"
    _check_company_auto = True

    card_id = fields.Many2one("loyalty.card", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    kind = fields.Selection(FLAG_KINDS, required=True)
    reason = fields.Text(required=True, help="Why the flag was raised, with the figures.")
    key = fields.Char(required=True, help="The cause: one flag per card, kind and cause.")
    state = fields.Selection(
        [("open", "To review"), ("cleared", "Cleared")],
        default="open",
        required=True,
        tracking=True,
    )
    cleared_by_id = fields.Many2one("res.users", "Cleared By", readonly=True)
    cleared_date = fields.Datetime(readonly=True)
    clear_note = fields.Text(
        "Review Note", help="Why the flag is cleared: written before Clear, frozen after."
    )

    _ccare_workflow_fields = (
        "state",
        "card_id",
        "kind",
        "reason",
        "key",
        "cleared_by_id",
        "cleared_date",
    )
    _ccare_frozen_fields = ("clear_note",)
    _flag_unique = models.UniqueIndex(
        "(card_id, kind, key)", "This anomaly has already been flagged."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._ccare_in_transition():
            self.check_access("create")
            raise UserError(self.env._("Anomaly flags are raised by the detection job only."))
        return super().create(vals_list)

    def _ccare_is_editable(self):
        return self.filtered(lambda f: f.state == "open")

    def action_clear(self, note=None):
        """Clear these flags with the reviewer's note (``note``, or the one
        written on the flag) (Loyalty Managers)."""
        if not (self.env.su or self.env.user.has_group("crm_loyalty.group_crm_loyalty_manager")):
            raise AccessError(self.env._("Only Loyalty Managers may clear anomaly flags."))
        flags = self.filtered(lambda f: f.state == "open")
        for flag in flags:
            text = (note or flag.clear_note or "").strip()
            if not text:
                raise UserError(self.env._("Say why the flag is cleared (a review note)."))
            with flag._ccare_transition():
                flag.write(
                    {
                        "state": "cleared",
                        "cleared_by_id": self.env.user.id,
                        "cleared_date": fields.Datetime.now(),
                        "clear_note": text,
                    }
                )
        return True

    # ------------------------------------------------------------ detection
    @api.model
    def _crm_detect_anomalies(self, days=7, factor=5.0, minimum=100.0, quick_hours=24):
        """Raise the flags of every rule, each in one query over the journal
        (``crm.loyalty.posting``) or the cards:

        - velocity: points earned over the last ``days`` above ``factor``
          times the median of the program's earning members (and at least
          ``minimum``);
        - quick_redeem: a redemption within ``quick_hours`` of an earning;
        - shared_contact: cards of one program held by different customers
          sharing an e-mail or a phone;
        - refunded_source: a credit note took back points already spent.

        Returns the number of flags raised."""
        self.env.flush_all()
        _ = self.env._
        found = []  # (card_id, kind, key, reason)
        now = fields.Datetime.now()
        for card_id, earned, median in self.env.execute_query(
            SQL(
                """
                WITH earned AS (
                    SELECT p.card_id, p.program_id, sum(p.issued) AS total
                      FROM crm_loyalty_posting p
                     WHERE p.event IN ('earn', 'sale', 'release')
                       AND p.date >= %(since)s
                  GROUP BY p.card_id, p.program_id
                ), medians AS (
                    SELECT program_id,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median
                      FROM earned GROUP BY program_id
                )
                SELECT e.card_id, e.total, m.median
                  FROM earned e JOIN medians m ON m.program_id = e.program_id
                 WHERE e.total >= %(minimum)s AND e.total > %(factor)s * m.median
                """,
                since=now - timedelta(days=days),
                minimum=minimum,
                factor=factor,
            )
        ):
            found.append(
                (
                    card_id,
                    "velocity",
                    "week:{}-{}".format(*now.date().isocalendar()[:2]),
                    _(
                        "%(earned)s points earned in %(days)s days, more than %(factor)s times "
                        "the program's median of %(median)s.",
                        earned=f"{earned:g}",
                        days=days,
                        factor=f"{factor:g}",
                        median=f"{median:g}",
                    ),
                )
            )
        for card_id, redeem_id, used, earned, hours in self.env.execute_query(
            SQL(
                """
                SELECT r.card_id, r.id, r.used, e.issued,
                       extract(epoch FROM r.date - e.date) / 3600
                  FROM crm_loyalty_posting r
                  JOIN LATERAL (
                       SELECT issued, date FROM crm_loyalty_posting e
                        WHERE e.card_id = r.card_id AND e.event IN ('earn', 'sale', 'release')
                          AND e.issued > 0 AND e.date <= r.date
                          AND e.date >= r.date - make_interval(hours => %(hours)s)
                     ORDER BY e.date DESC LIMIT 1
                  ) e ON true
                 WHERE r.event = 'redeem' AND r.date >= %(since)s
                """,
                hours=quick_hours,
                since=now - timedelta(days=days),
            )
        ):
            found.append(
                (
                    card_id,
                    "quick_redeem",
                    f"posting:{redeem_id}",
                    _(
                        "%(used)s points redeemed %(hours)s hours after earning %(earned)s.",
                        used=f"{used:g}",
                        hours=f"{hours:.1f}",
                        earned=f"{earned:g}",
                    ),
                )
            )
        for card_id, kind, value, others in self.env.execute_query(
            SQL(
                """
                WITH contact AS (
                    SELECT c.id AS card_id, c.program_id, rp.commercial_partner_id AS owner,
                           'email' AS kind, lower(trim(rp.email)) AS value
                      FROM loyalty_card c JOIN res_partner rp ON rp.id = c.partner_id
                     WHERE c.active AND coalesce(trim(rp.email), '') != ''
                    UNION ALL
                    SELECT c.id, c.program_id, rp.commercial_partner_id, 'phone',
                           regexp_replace(rp.phone, '[^0-9+]', '', 'g')
                      FROM loyalty_card c JOIN res_partner rp ON rp.id = c.partner_id
                     WHERE c.active AND coalesce(trim(rp.phone), '') != ''
                )
                SELECT a.card_id, a.kind, a.value, count(DISTINCT b.owner)
                  FROM contact a JOIN contact b
                    ON b.program_id = a.program_id AND b.kind = a.kind AND b.value = a.value
                   AND b.owner != a.owner
              GROUP BY a.card_id, a.kind, a.value
                """
            )
        ):
            found.append(
                (
                    card_id,
                    "shared_contact",
                    f"{kind}:{value}",
                    _(
                        "The %(kind)s %(value)s is also on %(others)s other member(s) of the "
                        "program.",
                        kind=kind,
                        value=value,
                        others=others,
                    ),
                )
            )
        for card_id, posting_id, owed, description in self.env.execute_query(
            SQL(
                "SELECT card_id, id, owed, description FROM crm_loyalty_posting"
                " WHERE event = 'clawback' AND owed > 0"
            )
        ):
            found.append(
                (
                    card_id,
                    "refunded_source",
                    f"posting:{posting_id}",
                    _(
                        "%(owed)s points refunded (%(what)s) had already been spent.",
                        owed=f"{owed:g}",
                        what=description or "-",
                    ),
                )
            )
        if not found:
            return 0
        existing = {
            (card_id, kind, key)
            for card_id, kind, key in self.env.execute_query(
                SQL(
                    "SELECT card_id, kind, key FROM crm_loyalty_flag WHERE card_id = ANY(%s)",
                    sorted({row[0] for row in found}),
                )
            )
        }
        new, seen = [], set()
        for card_id, kind, key, reason in found:
            if (card_id, kind, key) in existing or (card_id, kind, key) in seen:
                continue
            seen.add((card_id, kind, key))
            new.append({"card_id": card_id, "kind": kind, "key": key, "reason": reason})
        Flag = self.sudo()
        with Flag._ccare_transition():
            Flag.create(new)
        return len(new)

    @api.model
    def _cron_detect_anomalies(self):
        return self._crm_detect_anomalies()
