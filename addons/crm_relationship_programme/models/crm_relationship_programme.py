import random
from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import draw_holdout
from odoo.addons.crm_customer_care.stats import holdout_fraction
from odoo.addons.crm_customer_care.stats import welch_interval
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

PROGRAMME_TYPES = [
    ("loyalty", "Loyalty scheme"),
    ("event", "Event"),
    ("service", "Service programme"),
    ("campaign", "Campaign"),
]


# the draw is shared with the call campaigns (crm_callplan): crm_customer_care.stats
_holdout_fraction = holdout_fraction


class CrmRelationshipProgramme(models.Model):
    """A relationship programme aimed at segments, measured against a
    holdout (control) group drawn with a stored seed."""

    _name = "crm.relationship.programme"
    _description = "Relationship Programme"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.care.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    programme_type = fields.Selection(
        PROGRAMME_TYPES, string="Type", required=True, default="loyalty", tracking=True
    )
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", "Owner", default=lambda self: self.env.user, tracking=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    date_start = fields.Date("Start", required=True, default=fields.Date.context_today)
    date_end = fields.Date("End")
    segment_ids = fields.Many2many("crm.customer.segment", string="Target Segments")
    budget = fields.Monetary(tracking=True)
    event_ids = fields.One2many(
        "calendar.event",
        "crm_programme_id",
        string="Events",
        help="The programme's events; recording who attended gives members their points.",
    )
    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        check_company=True,
        help="Members enrolled get a card of this program.",
    )
    survey_ids = fields.One2many("survey.survey", "crm_programme_id", string="Feedback Surveys")
    cost_line_ids = fields.One2many("crm.relationship.cost.line", "programme_id", copy=True)
    kpi_ids = fields.One2many("crm.relationship.kpi", "programme_id", string="KPIs", copy=True)
    participant_ids = fields.One2many("crm.relationship.participant", "programme_id")
    holdout_percent = fields.Float(
        "Holdout (%)",
        default=10.0,
        tracking=True,
        help="Share of eligible customers kept out of the programme, never enrolled or "
        "contacted, to measure its effect.",
    )
    holdout_seed = fields.Integer(
        default=lambda self: random.SystemRandom().randint(1, 2**31 - 1),
        copy=False,
        help="Draws the holdout group: the same seed always holds out the same customers.",
    )
    point_value = fields.Monetary(
        help="What one redeemed point costs the company (reward value redeemed)."
    )

    member_count = fields.Integer("Members", compute="_compute_counts")
    holdout_count = fields.Integer("Holdout", compute="_compute_counts")
    cost_planned = fields.Monetary("Planned Cost", compute="_compute_costs")
    cost_actual = fields.Monetary("Actual Cost", compute="_compute_costs")

    # effectiveness (see _compute_effectiveness)
    eligible_count = fields.Integer("Eligible", compute="_compute_effectiveness")
    participation_rate = fields.Float("Participation (%)", compute="_compute_effectiveness")
    active_rate = fields.Float("Active Members (%)", compute="_compute_effectiveness")
    revenue_member = fields.Monetary("Revenue per Member", compute="_compute_effectiveness")
    revenue_holdout = fields.Monetary("Revenue per Holdout", compute="_compute_effectiveness")
    revenue_uplift = fields.Float("Revenue Uplift (%)", compute="_compute_effectiveness")
    revenue_difference = fields.Monetary(
        "Revenue Difference per Customer",
        compute="_compute_effectiveness",
        help="Mean revenue of a member minus that of a held-out customer.",
    )
    revenue_ci_low = fields.Monetary(
        "95% CI Low",
        compute="_compute_effectiveness",
        help="Welch's 95% confidence interval of the revenue difference per customer.",
    )
    revenue_ci_high = fields.Monetary("95% CI High", compute="_compute_effectiveness")
    revenue_significance = fields.Selection(
        [
            ("significant", "Significant at 95%"),
            ("not_significant", "Not significant"),
            ("undefined", "Too few customers"),
        ],
        "Significance",
        compute="_compute_effectiveness",
        help="Not significant when the 95% interval of the difference contains 0; too few "
        "customers when a group has fewer than two (no interval).",
    )
    frequency_member = fields.Float("Purchases per Member", compute="_compute_effectiveness")
    frequency_holdout = fields.Float("Purchases per Holdout", compute="_compute_effectiveness")
    frequency_uplift = fields.Float("Frequency Uplift (%)", compute="_compute_effectiveness")
    retention_member = fields.Float("Retention Members (%)", compute="_compute_effectiveness")
    retention_holdout = fields.Float("Retention Holdout (%)", compute="_compute_effectiveness")
    retention_uplift = fields.Float("Retention Uplift (pts)", compute="_compute_effectiveness")
    reward_cost = fields.Monetary("Rewards Redeemed", compute="_compute_effectiveness")
    total_cost = fields.Monetary(compute="_compute_effectiveness")
    incremental_revenue = fields.Monetary(compute="_compute_effectiveness")
    margin_member = fields.Monetary("Margin per Member", compute="_compute_effectiveness")
    margin_holdout = fields.Monetary("Margin per Holdout", compute="_compute_effectiveness")
    incremental_margin = fields.Monetary(
        compute="_compute_effectiveness",
        help="(Gross margin per member - per held-out customer) x members; gross margin is "
        "revenue minus cost of goods, as in the customer P&L.",
    )
    roi = fields.Float(
        "ROI (%)",
        compute="_compute_effectiveness",
        help="(Incremental margin - total cost) / total cost; 0 when not measurable.",
    )
    roi_measurable = fields.Boolean(
        "ROI Measurable",
        compute="_compute_effectiveness",
        help="The return needs members, a holdout to compare them with and a cost: without a "
        "holdout the incremental margin is unknown, not zero.",
    )
    nps_before = fields.Float("NPS Before", compute="_compute_feedback")
    nps_after = fields.Float("NPS After", compute="_compute_feedback")
    nps_change = fields.Float("NPS Change", compute="_compute_feedback")
    satisfaction = fields.Float("Satisfaction (%)", compute="_compute_feedback")
    response_rate = fields.Float("Response Rate (%)", compute="_compute_feedback")

    _dates = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "A programme cannot end before it starts.",
    )
    _budget_positive = models.Constraint(
        "CHECK (budget >= 0)", "A programme budget cannot be negative."
    )

    @api.constrains("holdout_percent")
    def _check_holdout_percent(self):
        for programme in self:
            if not 0 <= programme.holdout_percent <= 90:
                raise ValidationError(
                    self.env._(
                        "Holdout (%%) must be between 0 and 90 (got %s).",
                        programme.holdout_percent,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for programme in self:
            if programme.date_end and programme.date_end < programme.date_start:
                raise ValidationError(self.env._("End must not be before Start."))

    # ------------------------------------------------------------ computes
    def _compute_counts(self):
        rows = self.env["crm.relationship.participant"]._read_group(
            [("programme_id", "in", self.ids)], ["programme_id", "group"], ["__count"]
        )
        counts = {(programme.id, group): count for programme, group, count in rows}
        for programme in self:
            programme.member_count = counts.get((programme.id, "member"), 0)
            programme.holdout_count = counts.get((programme.id, "holdout"), 0)

    @api.depends("cost_line_ids.amount_planned", "cost_line_ids.amount_actual")
    def _compute_costs(self):
        for programme in self:
            programme.cost_planned = sum(programme.cost_line_ids.mapped("amount_planned"))
            programme.cost_actual = sum(programme.cost_line_ids.mapped("amount_actual"))

    def _compute_effectiveness(self):
        figures = self._loyalty_effectiveness()
        for programme in self:
            for name, value in figures[programme.id].items():
                programme[name] = value

    def _compute_feedback(self):
        figures = self.env["survey.survey"]._loyalty_feedback_figures(self)
        for programme in self:
            values = figures.get(programme.id, {})
            programme.nps_before = values.get("nps_before", 0.0)
            programme.nps_after = values.get("nps_after", 0.0)
            programme.nps_change = programme.nps_after - programme.nps_before
            programme.satisfaction = values.get("satisfaction", 0.0)
            programme.response_rate = values.get("response_rate", 0.0)

    def _loyalty_group_stats(self):
        """``{(programme id, group): {n, mean, var, margin}}`` per programme
        and group (member/holdout) from the effectiveness report: mean and
        sample variance of the revenue per participant (Welch's interval
        needs them) and the mean gross margin; one query."""
        Report = self.env["crm.relationship.effectiveness.report"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT programme_id, "group", count(*), avg(revenue), var_samp(revenue),
                       avg(margin)
                  FROM %s
                 WHERE programme_id = ANY(%s)
                 GROUP BY programme_id, "group"
                """,
                Report._table_sql,
                self.ids,
            )
        )
        return {
            (programme_id, group): {
                "n": count,
                "mean": float(mean or 0.0),
                "var": float(var or 0.0),
                "margin": float(margin or 0.0),
            }
            for programme_id, group, count, mean, var, margin in rows
        }

    def _loyalty_effectiveness(self):
        """Effectiveness of each programme in ``self`` from the participants
        report (members vs holdout over the programme period): a constant
        number of queries for any number of programmes.

        Revenue and margin come from ``crm.customer.revenue.report``; the
        revenue difference per customer carries Welch's 95% interval; the
        incremental margin is the difference of gross margin per customer
        (revenue - cost of goods, the P&L's) times the members, and
        ROI = (incremental margin - total cost) / total cost.
        """
        Report = self.env["crm.relationship.effectiveness.report"].sudo()
        rows = Report._read_group(
            [("programme_id", "in", self.ids)],
            ["programme_id", "group"],
            [
                "__count",
                "revenue:sum",
                "invoice_count:sum",
                "retained:sum",
                "active_member:sum",
                "points_redeemed:sum",
            ],
        )
        stats = {
            (programme.id, group): (count, revenue, invoices, retained, active, redeemed)
            for programme, group, count, revenue, invoices, retained, active, redeemed in rows
        }
        moments = self.sudo()._loyalty_group_stats()
        empty = {"n": 0, "mean": 0.0, "var": 0.0, "margin": 0.0}
        eligible = self._loyalty_eligible_counts()
        result = {}
        for programme in self:
            zero = (0, 0.0, 0, 0, 0, 0.0)
            result[programme.id] = programme._loyalty_effectiveness_figures(
                stats.get((programme.id, "member"), zero),
                stats.get((programme.id, "holdout"), zero),
                moments.get((programme.id, "member"), empty),
                moments.get((programme.id, "holdout"), empty),
                eligible.get(programme.id, 0),
            )
        return result

    def _loyalty_effectiveness_figures(
        self, member_sums, holdout_sums, member, holdout, eligible_count
    ):
        """One programme's figures (see ``_loyalty_effectiveness``) from its
        members' and holdout's sums in the report (count, revenue, invoices,
        retained, active, points redeemed), their revenue moments and its
        eligible count."""
        self.ensure_one()
        m_count, m_rev, m_inv, m_ret, m_active, m_redeemed = member_sums
        h_count, h_rev, h_inv, h_ret, _ha, _hr = holdout_sums
        rev_m = m_rev / m_count if m_count else 0.0
        rev_h = h_rev / h_count if h_count else 0.0
        freq_m = m_inv / m_count if m_count else 0.0
        freq_h = h_inv / h_count if h_count else 0.0
        ret_m = 100.0 * m_ret / m_count if m_count else 0.0
        ret_h = 100.0 * h_ret / h_count if h_count else 0.0
        interval = welch_interval(
            member["n"], member["mean"], member["var"],
            holdout["n"], holdout["mean"], holdout["var"],
        )  # fmt: skip
        if interval is None:
            ci_low = ci_high = 0.0
            significance = "undefined"
        else:
            _diff, ci_low, ci_high, _df = interval
            significance = "not_significant" if ci_low <= 0.0 <= ci_high else "significant"
        reward_cost = m_redeemed * self.point_value
        total_cost = self.cost_actual + reward_cost
        incremental_revenue = (rev_m - rev_h) * m_count if h_count else 0.0
        incremental_margin = (member["margin"] - holdout["margin"]) * m_count if h_count else 0.0
        invited = eligible_count - h_count
        measurable = bool(m_count and h_count and total_cost)
        roi = 100.0 * (incremental_margin - total_cost) / total_cost if measurable else 0.0
        return {
            "eligible_count": eligible_count,
            "participation_rate": 100.0 * m_count / invited if invited > 0 else 0.0,
            "active_rate": 100.0 * m_active / m_count if m_count else 0.0,
            "revenue_member": rev_m,
            "revenue_holdout": rev_h,
            "revenue_uplift": 100.0 * (rev_m - rev_h) / rev_h if rev_h else 0.0,
            "revenue_difference": rev_m - rev_h if m_count and h_count else 0.0,
            "revenue_ci_low": ci_low,
            "revenue_ci_high": ci_high,
            "revenue_significance": significance,
            "frequency_member": freq_m,
            "frequency_holdout": freq_h,
            "frequency_uplift": 100.0 * (freq_m - freq_h) / freq_h if freq_h else 0.0,
            "retention_member": ret_m,
            "retention_holdout": ret_h,
            "retention_uplift": ret_m - ret_h,
            "reward_cost": reward_cost,
            "total_cost": total_cost,
            "incremental_revenue": incremental_revenue,
            "margin_member": member["margin"],
            "margin_holdout": holdout["margin"],
            "incremental_margin": incremental_margin,
            "roi": roi,
            "roi_measurable": measurable,
        }

    # ------------------------------------------------------------ enrolment
    def _loyalty_check_eligibility_filters(self):
        """Raise unless the current user may read what the user-written
        filters of the eligibility test (extended with the target list)."""

    def _loyalty_eligible_domain(self):
        self.ensure_one()
        return Domain("segment_id", "in", self.segment_ids.ids) & Domain(
            "company_id", "in", [False, self.company_id.id]
        )

    def _loyalty_eligible_counts(self):
        """Participants plus the customers of the target segments not in the
        programme: segments follow the data, and a customer who left them
        after enrolment still counts, or participation would drift (even
        past 100%)."""
        Partner = self.env["res.partner"].sudo()
        Participant = self.env["crm.relationship.participant"].sudo()
        counts = {}
        for programme in self:
            if not programme.segment_ids:
                counts[programme.id] = 0
                continue
            domain = programme._loyalty_eligible_domain()
            eligible_now = Partner.search_count(domain)
            still_eligible = Participant.search_count(
                [("programme_id", "=", programme.id), ("partner_id", "any", domain)]
            )
            taking_part = programme.member_count + programme.holdout_count
            counts[programme.id] = eligible_now - still_eligible + taking_part
        return counts

    def _loyalty_is_holdout(self, partner_ids):
        """The ids of ``partner_ids`` this programme holds out, drawn from
        them: pass the *eligible* population only (segment and consent
        already applied), so members and holdout are alike.

        Stratified by segment: in each segment, the ``holdout_percent`` share
        (rounded half up) of its customers with the lowest stable fraction
        for the stored seed (``_holdout_fraction``) is held out. The same
        seed and population always give the same holdout; the draw is stored
        on the participants.
        """
        self.ensure_one()
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        strata = defaultdict(list)
        for partner in partners:
            strata[partner.segment_id.id].append(partner.id)
        return draw_holdout(self.holdout_seed, self.holdout_percent, strata)

    def _loyalty_transition(self, allowed_from, state):
        """Move ``self`` to ``state``: every programme must be in one of
        ``allowed_from``, and the user must be allowed to edit it."""
        self.check_access("write")
        labels = dict(self._fields["state"]._description_selection(self.env))
        wrong = self.filtered(lambda p: p.state not in allowed_from)
        if wrong:
            raise UserError(
                self.env._(
                    "Programme %(name)s is %(state)s: it cannot become %(new)s.",
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                    new=labels[state],
                )
            )
        with self._ccare_transition():
            self.write({"state": state})

    def action_start(self):
        for programme in self:
            if not programme.segment_ids:
                raise UserError(
                    self.env._(
                        "Programme %s has no target segment: choose at least one in Target "
                        "Segments before starting it.",
                        programme.name,
                    )
                )
        self._loyalty_transition(("draft",), "running")
        self.action_enrol()

    def action_close(self):
        self._loyalty_transition(("running",), "closed")

    def action_draft(self):
        self._loyalty_transition(("closed",), "draft")

    def action_enrol(self):
        """Enrol every eligible customer not yet in the programme.

        Eligibility comes first: the target segments, then consent
        (marketing by e-mail). The holdout is then drawn from the eligible
        newcomers only, stratified by segment with the stored seed
        (``_loyalty_is_holdout``), never enrolled nor contacted; the other
        eligible customers are enrolled and get a card of the linked loyalty
        program. Customers whose consent does not allow it are neither
        members nor held out. Re-running it only adds newcomers."""
        # participants and cards are created as the server: only for
        # programmes the user may change
        self.check_access("write")
        Participant = self.env["crm.relationship.participant"].sudo()
        summary = {}
        for programme in self:
            if not programme.segment_ids:
                raise UserError(self.env._("Programme %s has no target segment.", programme.name))
            if programme.state != "running":
                raise UserError(self.env._("Start programme %s first.", programme.name))
            programme._loyalty_check_eligibility_filters()  # before evaluating them as superuser
            partners = self.env["res.partner"].sudo().search(programme._loyalty_eligible_domain())
            known = set(Participant.search([("programme_id", "=", programme.id)]).partner_id.ids)
            new = partners.filtered(lambda p, known=known: p.id not in known)
            blocked = new._ccare_contact_blocks("marketing", "email")
            eligible = new.filtered(lambda p, b=blocked: p.id not in b)
            holdout = programme._loyalty_is_holdout(eligible.ids)
            members = eligible.filtered(lambda p, h=holdout: p.id not in h)
            cards = {}
            if programme.loyalty_program_id and members:
                Card = self.env["loyalty.card"].sudo()
                existing = Card.search(
                    [
                        ("program_id", "=", programme.loyalty_program_id.id),
                        ("partner_id", "in", members.ids),
                    ]
                )
                cards = {card.partner_id.id: card.id for card in existing}
                missing = [pid for pid in members.ids if pid not in cards]
                for card in Card.create(
                    [
                        {"program_id": programme.loyalty_program_id.id, "partner_id": pid}
                        for pid in missing
                    ]
                ):
                    cards[card.partner_id.id] = card.id
            Participant.create(
                [
                    {
                        "programme_id": programme.id,
                        "partner_id": pid,
                        "group": "holdout",
                        "state": "holdout",
                    }
                    for pid in sorted(holdout)
                ]
                + [
                    {
                        "programme_id": programme.id,
                        "partner_id": partner.id,
                        "group": "member",
                        "state": "enrolled",
                        "card_id": cards.get(partner.id),
                    }
                    for partner in members
                ]
            )
            summary[programme.id] = (len(members), len(holdout), len(blocked))
            programme.message_post(
                body=self.env._(
                    "%(members)s customers enrolled, %(holdout)s held out, %(blocked)s not "
                    "enrolled because their consent does not allow it.",
                    members=len(members),
                    holdout=len(holdout),
                    blocked=len(blocked),
                )
            )
        return summary

    def action_open_participants(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Participants"),
            "res_model": "crm.relationship.participant",
            "view_mode": "list,form",
            "domain": [("programme_id", "=", self.id)],
            "context": {"default_programme_id": self.id, "search_default_group_by_group": 1},
        }

    def action_open_effectiveness(self):
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_relationship_programme.crm_relationship_effectiveness_report_action"
        )
        action["domain"] = [("programme_id", "in", self.ids)]
        return action

    def action_print_effectiveness(self):
        self.check_access("read")
        return self.env.ref(
            "crm_relationship_programme.action_report_programme_effectiveness"
        ).report_action(self)
