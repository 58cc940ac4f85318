from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

ANOMALY_KINDS = [
    ("velocity", "Earning far above the usual"),
    ("redeem_after_earn", "Redeemed right after earning"),
    ("shared_contact", "Cards sharing an e-mail or phone"),
    ("refunded_source", "Points of a refunded source already spent"),
]
MANAGER_GROUP = "crm_loyalty.group_crm_loyalty_manager"


class CrmLoyaltyAnomaly(models.Model):
    """A loyalty card that looks like fraud or abuse, on the loyalty
    managers' review queue, with why it was raised (the figures). Raised by
    the detection job only (one SQL statement per rule over the points
    journal, ``crm.loyalty.posting``); a flag is raised once per card and
    occasion (its key) and is cleared by a manager with a note, never
    deleted."""

    _name = "crm.loyalty.anomaly"
    _description = "Loyalty Anomaly"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # what was found, and the review's outcome, are the server's; the note
    # is the reviewer's until the flag is cleared
    _ccare_workflow_fields = (
        "state",
        "cleared_by_id",
        "cleared_date",
        "card_id",
        "kind",
        "key",
        "reason",
        "date",
    )
    _ccare_frozen_fields = ("clear_note",)

    card_id = fields.Many2one("loyalty.card", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    kind = fields.Selection(ANOMALY_KINDS, required=True, readonly=True)
    key = fields.Char(required=True, readonly=True, help="The occasion: raised once per card.")
    date = fields.Datetime("Raised On", required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    state = fields.Selection(
        [("open", "To Review"), ("cleared", "Cleared")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    clear_note = fields.Text("Review Note", tracking=True)
    cleared_by_id = fields.Many2one("res.users", "Cleared By", readonly=True)
    cleared_date = fields.Datetime("Cleared On", readonly=True)

    _key_unique = models.UniqueIndex("(card_id, key)", "This anomaly was already raised.")

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for anomaly in self:
            anomaly.display_name = self.env._(
                "%(kind)s: %(member)s",
                kind=kinds.get(anomaly.kind, ""),
                member=anomaly.partner_id.display_name or anomaly.card_id.code or "",
            )

    def _ccare_is_editable(self):
        return self.filtered(lambda a: a.state == "open")

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # flags are the detection job's (raw SQL), never typed in: no super()
        raise UserError(self.env._("Anomalies are raised by the detection job only."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An anomaly is cleared with a note, never deleted."))

    def action_clear(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a loyalty manager clears an anomaly."))
        self.check_access("write")
        for anomaly in self:
            if anomaly.state != "open":
                raise UserError(self.env._("This anomaly was already cleared."))
            if not (anomaly.clear_note or "").strip():
                raise UserError(
                    self.env._("Say why the anomaly is cleared: write a review note first.")
                )
        with self._ccare_transition():
            self.write(
                {
                    "state": "cleared",
                    "cleared_by_id": self.env.uid,
                    "cleared_date": fields.Datetime.now(),
                }
            )
        return True

    # ------------------------------------------------------------ detection
    @api.model
    def _cron_detect_anomalies(self):
        self.with_delay(
            description=self.env._("Detect loyalty anomalies"),
            identity_key="crm_loyalty_detect_anomalies",
        )._loyalty_detect_anomalies()

    @api.model
    def _loyalty_detect_anomalies(self, now=None):
        """Run every rule over the points journal, each in one statement;
        raising a flag twice does nothing (its key). Returns the number of
        flags raised."""
        now = now or fields.Datetime.now()
        self.env.flush_all()
        raised = 0
        for rule in (
            self._loyalty_detect_velocity,
            self._loyalty_detect_redeem_after_earn,
            self._loyalty_detect_shared_contact,
            self._loyalty_detect_refunded_source,
        ):
            raised += len(self.env.execute_query(rule(now)))
        self.invalidate_model()
        return raised

    def _loyalty_insert(self, select):
        """``INSERT`` the flags ``select`` gives (card_id, kind, key, reason)."""
        return SQL(
            """
            INSERT INTO crm_loyalty_anomaly
                   (card_id, partner_id, program_id, company_id, kind, key, reason, date, state,
                    create_uid, create_date, write_uid, write_date)
            SELECT f.card_id, c.partner_id, c.program_id, c.company_id, f.kind, f.key, f.reason,
                   %(now)s, 'open', %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (%(select)s) f
              JOIN loyalty_card c ON c.id = f.card_id
            ON CONFLICT (card_id, key) DO NOTHING
         RETURNING id
            """,
            select=select,
            now=fields.Datetime.now(),
            uid=self.env.uid,
        )

    def _loyalty_detect_velocity(self, now):
        """The points a card earned in the last 7 days against the median of
        its own weeks of the 12 before (or, for a card without history, of
        the same program and segment this week): flagged above the
        program's factor, from its minimum number of points up. Once per
        card and week."""
        since = now - timedelta(days=7)
        return self._loyalty_insert(
            SQL(
                """
                WITH recent AS (
                    SELECT po.card_id, po.program_id, p.segment_id, sum(po.issued) AS points
                      FROM crm_loyalty_posting po
                      JOIN res_partner p ON p.id = po.partner_id
                     WHERE po.date >= %(since)s AND po.date <= %(now)s
                       AND po.event IN ('earn', 'sale') AND po.issued > 0
                     GROUP BY po.card_id, po.program_id, p.segment_id
                ), weeks AS (
                    SELECT po.card_id, date_trunc('week', po.date) AS week,
                           sum(po.issued) AS points
                      FROM crm_loyalty_posting po
                      JOIN recent r ON r.card_id = po.card_id
                     WHERE po.date >= %(history)s AND po.date < %(since)s
                       AND po.event IN ('earn', 'sale')
                     GROUP BY po.card_id, date_trunc('week', po.date)
                ), own AS (
                    SELECT card_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY points) AS median
                      FROM weeks GROUP BY card_id
                ), peers AS (
                    SELECT program_id, segment_id,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY points) AS median
                      FROM recent GROUP BY program_id, segment_id
                )
                SELECT r.card_id, 'velocity' AS kind,
                       'velocity:' || to_char(%(now)s::timestamp, 'IYYY-IW') AS key,
                       format(%(reason)s, round(r.points::numeric, 2),
                              round((r.points / coalesce(o.median, pe.median))::numeric, 1),
                              round(coalesce(o.median, pe.median)::numeric, 2),
                              CASE WHEN o.median IS NULL THEN %(peers)s ELSE %(own)s END)
                       AS reason
                  FROM recent r
                  JOIN loyalty_program lp ON lp.id = r.program_id
             LEFT JOIN own o ON o.card_id = r.card_id
                  JOIN peers pe ON pe.program_id = r.program_id
                       AND pe.segment_id IS NOT DISTINCT FROM r.segment_id
                 WHERE r.points >= coalesce(lp.crm_anomaly_min_points, 0)
                   AND coalesce(o.median, pe.median) > 0
                   AND r.points > coalesce(lp.crm_anomaly_velocity_factor, 5)
                                  * coalesce(o.median, pe.median)
                """,
                since=since,
                now=now,
                history=since - timedelta(weeks=12),
                # positional: PostgreSQL's format() fills it, in SQL
                reason=self.env._(  # pylint: disable=translation-positional-used
                    "Earned %s points in the last 7 days: %s times the median of %s (%s)."
                ),
                own=self.env._("the member's own weeks"),
                peers=self.env._("the members of the same segment this week"),
            )
        )

    def _loyalty_detect_redeem_after_earn(self, now):
        """A redemption paid mostly (at least the program's share) by points
        earned in the hours before it: once per redemption."""
        return self._loyalty_insert(
            SQL(
                """
                SELECT r.card_id, 'redeem_after_earn' AS kind,
                       'redeem_after_earn:' || r.id AS key,
                       format(%(reason)s, round(r.used::numeric, 2),
                              coalesce(lp.crm_anomaly_redeem_hours, 24),
                              round(e.points::numeric, 2))
                       AS reason
                  FROM crm_loyalty_posting r
                  JOIN loyalty_program lp ON lp.id = r.program_id
                  JOIN LATERAL (
                       SELECT sum(e.issued) AS points
                         FROM crm_loyalty_posting e
                        WHERE e.card_id = r.card_id AND e.event IN ('earn', 'sale')
                          AND e.date <= r.date
                          AND e.date > r.date - make_interval(
                              hours => coalesce(lp.crm_anomaly_redeem_hours, 24))
                  ) e ON true
                 WHERE r.event = 'redeem' AND r.used > 0 AND r.date >= %(since)s
                   AND coalesce(e.points, 0) >= 0.8 * r.used
                """,
                since=now - timedelta(days=30),
                # the points earned in the window, all of them: they may be
                # more than the redemption (not "N of them")
                # positional: PostgreSQL's format() fills it, in SQL
                reason=self.env._(  # pylint: disable=translation-positional-used
                    "Redeemed %s points within %s hours of earning %s points."
                ),
            )
        )

    def _loyalty_detect_shared_contact(self, now):
        """Cards of one program held by different accounts that share an
        e-mail address or a phone number: every card of the group, once per
        address (the address itself is not copied into the reason)."""
        return self._loyalty_insert(
            SQL(
                """
                WITH contacts AS (
                    SELECT c.id AS card_id, c.program_id, p.commercial_partner_id AS account,
                           'email' AS channel, p.email_normalized AS address
                      FROM loyalty_card c JOIN res_partner p ON p.id = c.partner_id
                     WHERE p.email_normalized IS NOT NULL AND c.active
                     UNION ALL
                    SELECT c.id, c.program_id, p.commercial_partner_id, 'phone', p.phone_sanitized
                      FROM loyalty_card c JOIN res_partner p ON p.id = c.partner_id
                     WHERE p.phone_sanitized IS NOT NULL AND c.active
                ), shared AS (
                    SELECT program_id, channel, address, array_agg(card_id) AS cards,
                           count(DISTINCT account) AS accounts
                      FROM contacts
                     GROUP BY program_id, channel, address
                    HAVING count(DISTINCT account) > 1
                )
                SELECT unnest(cards) AS card_id, 'shared_contact' AS kind,
                       'shared_contact:' || channel || ':' || md5(address) AS key,
                       format(%(reason)s,
                              CASE WHEN channel = 'email' THEN %(email)s ELSE %(phone)s END,
                              accounts - 1) AS reason
                  FROM shared
                """,
                # positional: PostgreSQL's format() fills it, in SQL
                reason=self.env._(  # pylint: disable=translation-positional-used
                    "Shares its %s with %s other member account(s)."
                ),
                email=self.env._("e-mail address"),
                phone=self.env._("phone number"),
            )
        )

    def _loyalty_detect_refunded_source(self, now):
        """Points taken back by a credit note or a cancellation after they
        were spent (what the card still owes): once per such posting."""
        return self._loyalty_insert(
            SQL(
                """
                SELECT po.card_id, 'refunded_source' AS kind,
                       'refunded_source:' || po.id AS key,
                       format(%(reason)s, round(po.owed::numeric, 2),
                              coalesce(po.description, po.res_model || ',' || po.res_id))
                       AS reason
                  FROM crm_loyalty_posting po
                 WHERE po.owed > 0 AND po.date >= %(since)s
                """,
                since=now - timedelta(days=90),
                # positional: PostgreSQL's format() fills it, in SQL
                reason=self.env._(  # pylint: disable=translation-positional-used
                    "%s points were spent before their source was refunded (%s)."
                ),
            )
        )
