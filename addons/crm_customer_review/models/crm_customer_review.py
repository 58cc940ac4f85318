from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Domain

MANAGER_GROUP = "crm_customer_care.group_crm_customer_care_manager"
SCOPES = [("segment", "Segment"), ("account", "Account"), ("book", "Whole Book")]
# fields an approved review still accepts (chatter, activities)
APPROVED_WRITABLE = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


class CrmCustomerReview(models.Model):
    """A review of customers for management, over a frozen snapshot.

    "Compute" stores every figure of the scope (a segment, one account or
    the whole book) for the period, with the previous period of the same
    length beside it, as review lines: later changes to invoices, leads or
    profiles do not alter them. The analyst writes findings and
    recommended actions, a Customer Care manager approves; an approved
    review can no longer change and prints as a management report.
    """

    _name = "crm.customer.review"
    _description = "Customer Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.care.workflow.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    _ccare_workflow_fields = ("state", "compute_date", "approver_id", "approval_date")

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("computed", "Computed"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    scope = fields.Selection(SCOPES, default="segment", required=True, tracking=True)
    segment_id = fields.Many2one(
        "crm.customer.segment", "Segment", check_company=True, tracking=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Account",
        domain="[('parent_id', '=', False)]",
        check_company=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date("From", tracking=True)
    date_to = fields.Date("To", tracking=True)
    analyst_id = fields.Many2one(
        "res.users", "Analyst", default=lambda self: self.env.user, tracking=True
    )
    findings = fields.Html()
    recommended_actions = fields.Html("Recommended Actions")
    compute_date = fields.Datetime("Figures Frozen On", readonly=True, copy=False)
    approver_id = fields.Many2one("res.users", "Approved By", readonly=True, copy=False)
    approval_date = fields.Datetime("Approved On", readonly=True, copy=False)
    line_ids = fields.One2many(
        "crm.customer.review.line", "review_id", "Figures", readonly=True, copy=False
    )
    line_count = fields.Integer(compute="_compute_line_count")
    action_ids = fields.One2many(
        "crm.customer.review.action", "review_id", string="Actions", copy=False
    )
    previous_review_id = fields.Many2one(
        "crm.customer.review",
        compute="_compute_previous_review",
        help="The last approved review of the same scope before this one.",
    )
    previous_action_ids = fields.One2many(
        "crm.customer.review.action",
        compute="_compute_previous_review",
        string="Actions of the Previous Review",
    )

    @api.depends("scope", "segment_id", "partner_id", "date_from", "date_to")
    def _compute_name(self):
        for review in self:
            target = {
                "segment": review.segment_id.name,
                "account": review.partner_id.name,
                "book": self.env._("Whole Book"),
            }.get(review.scope) or ""
            period = (
                f"{review.date_from} - {review.date_to}"
                if review.date_from and review.date_to
                else ""
            )
            review.name = self.env._("Review %(target)s %(period)s", target=target, period=period)

    @api.depends("scope", "segment_id", "partner_id", "date_from", "company_id")
    def _compute_previous_review(self):
        for review in self:
            previous = self.browse()
            if review.date_from:
                previous = self.search(
                    [
                        ("id", "!=", review._origin.id or 0),
                        ("state", "=", "approved"),
                        ("scope", "=", review.scope),
                        ("segment_id", "=", review.segment_id.id),
                        ("partner_id", "=", review.partner_id.id),
                        ("company_id", "=", review.company_id.id),
                        ("date_to", "<", review.date_from),
                    ],
                    order="date_to desc, id desc",
                    limit=1,
                )
            review.previous_review_id = previous
            review.previous_action_ids = previous.action_ids

    def _compute_line_count(self):
        counts = dict(
            self.env["crm.customer.review.line"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.line_count = counts.get(review, 0)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for review in self:
            if review.date_from and review.date_to and review.date_from > review.date_to:
                raise ValidationError(
                    self.env._(
                        "The period of review “%(review)s” is empty: its start (From, "
                        "%(date_from)s) is after its end (To, %(date_to)s).",
                        review=review.name,
                        date_from=review.date_from,
                        date_to=review.date_to,
                    )
                )

    @api.constrains("scope", "segment_id", "partner_id")
    def _check_scope(self):
        for review in self:
            if review.scope == "segment" and not review.segment_id:
                raise ValidationError(
                    self.env._("A segment review needs a Segment (review “%s”).", review.name)
                )
            if review.scope == "account" and not review.partner_id:
                raise ValidationError(
                    self.env._("An account review needs an Account (review “%s”).", review.name)
                )

    # ------------------------------------------------------------ protection
    def write(self, vals):
        changed = {
            key for key in vals if key not in APPROVED_WRITABLE and not key.startswith("message_")
        }
        approved = self.filtered(lambda r: r.state == "approved")
        if changed and approved:
            raise UserError(
                self.env._(
                    "Review “%s” is approved: its figures, findings and actions can no "
                    "longer change.",
                    approved[0].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(review.state == "approved" for review in self):
            raise UserError(self.env._("An approved review cannot be deleted."))

    # ------------------------------------------------------------ actions
    def action_compute(self):
        """Freeze the figures of the scope and period as review lines."""
        for review in self:
            if review.state == "approved":
                raise UserError(
                    self.env._("Review “%s” is approved: its figures are final.", review.name)
                )
            if not review.date_from or not review.date_to:
                raise UserError(
                    self.env._(
                        "Review “%s” has an empty period: set both From and To before "
                        "computing its figures.",
                        review.name,
                    )
                )
        self.check_access("write")
        Line = self.env["crm.customer.review.line"].sudo()
        vals_list = []
        for review in self:
            for sequence, vals in enumerate(review._ccare_figures(), start=1):
                vals_list.append(dict(vals, review_id=review.id, sequence=sequence))
        with Line._ccare_append_only_unlocked(), self._ccare_transition():
            Line.search([("review_id", "in", self.ids)]).unlink()
            Line.create(vals_list)
            self.write({"state": "computed", "compute_date": fields.Datetime.now()})
        return True

    def action_approve(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Customer Care manager can approve a review."))
        self.check_access("write")
        for review in self:
            if review.state != "computed":
                raise UserError(
                    self.env._("Review “%s” must be computed before it is approved.", review.name)
                )
        with self._ccare_transition():
            self.write(
                {
                    "state": "approved",
                    "approver_id": self.env.uid,
                    "approval_date": fields.Datetime.now(),
                }
            )
        # what the review recommends becomes work: one activity per action
        self.action_ids._ccare_schedule()
        return True

    def action_reset_to_draft(self):
        self.check_access("write")
        if any(review.state == "approved" for review in self):
            raise UserError(self.env._("An approved review cannot go back to draft."))
        with self._ccare_transition():
            self.write({"state": "draft"})
        return True

    def action_print(self):
        self.check_access("read")
        return self.env.ref("crm_customer_review.crm_customer_review_report_pdf").report_action(
            self
        )

    # ------------------------------------------------------------ figures
    def _ccare_previous_period(self):
        length = (self.date_to - self.date_from).days + 1
        return self.date_from - timedelta(days=length), self.date_from - timedelta(days=1)

    def _ccare_partner_domain(self):
        """The customers in scope: commercial partners of the review's company."""
        domain = Domain("parent_id", "=", False) & Domain(
            "company_id", "in", [False, self.company_id.id]
        )
        if self.scope == "segment":
            return domain & Domain("segment_id", "=", self.segment_id.id)
        if self.scope == "account":
            return Domain("id", "=", self.partner_id.id)
        return domain & (Domain("segment_id", "!=", False) | Domain("customer_rank", ">", 0))

    def _ccare_lead_domain(self):
        domain = Domain("company_id", "in", [False, self.company_id.id])
        if self.scope == "segment":
            return domain & Domain("customer_segment_id", "=", self.segment_id.id)
        if self.scope == "account":
            return domain & Domain("partner_id", "child_of", self.partner_id.id)
        return domain

    @api.model
    def _ccare_line(self, section, name, value, previous=None, kind="number"):
        """One figure as line values; ``previous`` is the previous period's
        value (None: the figure has none)."""
        change = False
        if previous is not None and previous:
            change = (value - previous) / abs(previous) * 100
        return {
            "section": section,
            "name": name,
            "value": value or 0.0,
            "previous_value": previous or 0.0,
            "has_previous": previous is not None,
            "change_percent": change,
            "kind": kind,
        }

    def _ccare_periods(self):
        """{"cur": (from, to), "prev": (from, to)}: the review's period and
        the previous one of the same length."""
        return {
            "cur": (self.date_from, self.date_to),
            "prev": self._ccare_previous_period(),
        }

    def _ccare_dt_range(self, field, period):
        """Domain of the datetime ``field`` within ``period`` ("cur"/"prev")."""
        start, end = self._ccare_periods()[period]
        return Domain(field, ">=", datetime.combine(start, time.min)) & Domain(
            field, "<=", datetime.combine(end, time.max)
        )

    def _ccare_move_domain(self):
        """Revenue rows of the customers in scope, in the review's company."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partner_ids = Partner._search(self._ccare_partner_domain())
        return Domain("company_id", "=", self.company_id.id) & Domain(
            "commercial_partner_id", "in", partner_ids
        )

    def _ccare_figures(self):
        """The figures of the review as line values (section, name, value,
        previous_value, kind), read set-based: one grouped query per block."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        partner_domain = self._ccare_partner_domain() & Domain("active", "=", True)
        move_domain = self._ccare_move_domain()
        lead_domain = self._ccare_lead_domain()
        report_domain = Domain("lead_id", "in", Lead._search(lead_domain))
        lines = self._ccare_customer_figures(partner_domain)
        lines += self._ccare_revenue_figures(move_domain)
        lines += self._ccare_pipeline_figures(lead_domain, report_domain)
        lines += self._ccare_stage_figures(report_domain)
        lines += self._ccare_lost_reason_figures(lead_domain)
        if self.scope == "book":
            lines += self._ccare_segment_figures(partner_domain, move_domain)
        return lines

    def _ccare_customer_figures(self, partner_domain):
        """Customers, lifecycle stages, churn and the average scores
        (``res.partner._ccare_average_scores``: health, and what the
        installed features add)."""
        env, line = self.env, self._ccare_line
        Partner = env["res.partner"].sudo().with_context(active_test=False)
        by_stage = dict(Partner._read_group(partner_domain, ["lifecycle_stage"], ["__count"]))
        customers = sum(by_stage.values())
        lines = [line("customers", env._("Customers"), customers)]
        stage_labels = dict(Partner._fields["lifecycle_stage"]._description_selection(env))
        for stage in ("active", "at_risk", "lapsed"):
            lines.append(line("customers", stage_labels[stage], by_stage.get(stage, 0)))
        lapsed = by_stage.get("lapsed", 0)
        lines.append(
            line(
                "customers",
                env._("Churn (lapsed customers)"),
                lapsed / customers * 100 if customers else 0.0,
                kind="percent",
            )
        )
        scores = Partner._ccare_average_scores()
        if scores:
            averages = Partner._read_group(
                partner_domain, [], [f"{name}:avg" for name, _label in scores]
            )[0]
            for (_name, label), average in zip(scores, averages, strict=True):
                lines.append(line("customers", label, average or 0.0))
        return lines

    def _ccare_revenue_figures(self, move_domain):
        """Revenue of both periods and the top five accounts of the period
        (crm.customer.revenue.report: accounting dates, company currency)."""
        env, line = self.env, self._ccare_line
        Revenue = env["crm.customer.revenue.report"].sudo()
        revenue = {}
        for key, (start, end) in self._ccare_periods().items():
            domain = move_domain & Domain("date", ">=", start) & Domain("date", "<=", end)
            revenue[key] = Revenue._read_group(domain, [], ["revenue:sum"])[0][0] or 0.0
        lines = [line("revenue", env._("Revenue"), revenue["cur"], revenue["prev"], "money")]
        top = Revenue._read_group(
            move_domain & Domain("date", ">=", self.date_from) & Domain("date", "<=", self.date_to),
            ["commercial_partner_id"],
            ["revenue:sum"],
            order="revenue:sum desc",
            limit=5,
        )
        for partner, amount in top:
            lines.append(line("accounts", partner.display_name, amount, kind="money"))
        return lines

    def _ccare_pipeline_figures(self, lead_domain, report_domain):
        """Leads created, won and lost in each period, the win rate, the
        velocity, and the pipeline open now."""
        env, line = self.env, self._ccare_line
        Lead = env["crm.lead"].sudo().with_context(active_test=False)
        figures = {}
        for key in ("cur", "prev"):
            created = Lead._read_group(
                lead_domain & self._ccare_dt_range("create_date", key), [], ["__count"]
            )
            closed = {
                status: (count, amount)
                for status, count, amount in Lead._read_group(
                    lead_domain
                    & self._ccare_dt_range("date_closed", key)
                    & Domain("won_status", "in", ["won", "lost"]),
                    ["won_status"],
                    ["__count", "expected_revenue:sum"],
                )
            }
            figures[key] = (created[0][0], closed)
        lines = []
        for label, getter, kind in (
            (env._("New leads"), lambda f: f[0], "number"),
            (env._("Won"), lambda f: f[1].get("won", (0, 0))[0], "number"),
            (env._("Won revenue"), lambda f: f[1].get("won", (0, 0))[1], "money"),
            (env._("Lost"), lambda f: f[1].get("lost", (0, 0))[0], "number"),
        ):
            lines.append(
                line("pipeline", label, getter(figures["cur"]), getter(figures["prev"]), kind)
            )

        def win_rate(f):
            won, lost = f[1].get("won", (0, 0))[0], f[1].get("lost", (0, 0))[0]
            return won / (won + lost) * 100 if won + lost else 0.0

        lines.append(
            line(
                "pipeline",
                env._("Win rate"),
                win_rate(figures["cur"]),
                win_rate(figures["prev"]),
                "percent",
            )
        )
        lines += self._ccare_velocity_figures(report_domain)
        # the pipeline open now is the segment analysis's (one figure on both
        # screens): the open opportunities of the customers in scope
        analysis_domain = Domain("company_id", "=", self.company_id.id)
        if self.scope == "segment":
            analysis_domain &= Domain("segment_id", "=", self.segment_id.id)
        elif self.scope == "account":
            analysis_domain &= Domain("partner_id", "=", self.partner_id.commercial_partner_id.id)
        Analysis = env["crm.segment.analysis.report"].sudo().with_company(self.company_id)
        [(open_count, open_amount)] = Analysis._read_group(
            analysis_domain, [], ["pipeline_count:sum", "pipeline_revenue:sum"]
        )
        lines.append(line("pipeline", env._("Open opportunities"), open_count))
        lines.append(line("pipeline", env._("Open pipeline"), open_amount or 0.0, kind="money"))
        return lines

    def _ccare_velocity_figures(self, report_domain):
        """Days from creation to won and revenue per day, of the leads closed
        in each period (crm.sales.cycle.lead.report)."""
        env, line = self.env, self._ccare_line
        LeadReport = env["crm.sales.cycle.lead.report"].sudo()
        velocity = {}
        for key in ("cur", "prev"):
            rows = LeadReport._ccare_velocity(
                report_domain & self._ccare_dt_range("date_closed", key)
            )
            velocity[key] = rows[0] if rows else {"days_to_won": 0.0, "velocity": 0.0}
        return [
            line(
                "pipeline",
                env._("Average days from creation to won"),
                velocity["cur"]["days_to_won"],
                velocity["prev"]["days_to_won"],
                "days",
            ),
            line(
                "pipeline",
                env._("Pipeline velocity (revenue per day)"),
                velocity["cur"]["velocity"],
                velocity["prev"]["velocity"],
                "money",
            ),
        ]

    def _ccare_stage_figures(self, report_domain):
        """Stages entered in the period: entries, moved forward, days spent."""
        env, line = self.env, self._ccare_line
        StageReport = env["crm.sales.cycle.report"].sudo()
        lines = []
        for stage, entries, advanced, days in StageReport._read_group(
            report_domain & self._ccare_dt_range("date_in", "cur"),
            ["stage_id"],
            ["entry_count:sum", "advanced_rate:avg", "days_in_stage:avg"],
        ):
            name = stage.display_name
            lines.append(line("stages", name, entries or 0))
            lines.append(
                line(
                    "stages",
                    env._("%s: moved forward", name),
                    advanced or 0.0,
                    kind="percent",
                )
            )
            lines.append(line("stages", env._("%s: days in stage", name), days or 0.0, kind="days"))
        return lines

    def _ccare_lost_reason_figures(self, lead_domain):
        """Why deals were lost in the period."""
        env = self.env
        Lead = env["crm.lead"].sudo().with_context(active_test=False)
        return [
            self._ccare_line("lost_reasons", reason.display_name or env._("No reason given"), count)
            for reason, count in Lead._read_group(
                lead_domain
                & self._ccare_dt_range("date_closed", "cur")
                & Domain("won_status", "=", "lost"),
                ["lost_reason_id"],
                ["__count"],
            )
        ]

    def _ccare_segment_figures(self, partner_domain, move_domain):
        """The whole book: customers and revenue per segment."""
        env, line = self.env, self._ccare_line
        Partner = env["res.partner"].sudo().with_context(active_test=False)
        Revenue = env["crm.customer.revenue.report"].sudo()
        customers_by_segment = dict(
            Partner._read_group(partner_domain, ["segment_id"], ["__count"])
        )
        revenue_by_segment = {}
        for key, (start, end) in self._ccare_periods().items():
            revenue_by_segment[key] = dict(
                Revenue._read_group(
                    move_domain & Domain("date", ">=", start) & Domain("date", "<=", end),
                    ["segment_id"],
                    ["revenue:sum"],
                )
            )
        segments = set(customers_by_segment) | set(revenue_by_segment["cur"])
        lines = []
        for segment in sorted(segments, key=lambda s: (s.sequence, s.id) if s else (1e9, 0)):
            name = segment.display_name or env._("No segment")
            lines.append(line("segments", name, customers_by_segment.get(segment, 0)))
            lines.append(
                line(
                    "segments",
                    env._("%s: revenue", name),
                    revenue_by_segment["cur"].get(segment, 0.0),
                    revenue_by_segment["prev"].get(segment, 0.0),
                    "money",
                )
            )
        return lines

    # ------------------------------------------------------------ printing helpers
    def _ccare_sections(self):
        """[(section label, lines)] in the order of the report."""
        self.ensure_one()
        labels = dict(
            self.env["crm.customer.review.line"]._fields["section"]._description_selection(self.env)
        )
        sections = []
        for key, label in labels.items():
            lines = self.line_ids.filtered(lambda line, key=key: line.section == key)
            if lines:
                sections.append((label, lines.sorted("sequence")))
        return sections

    def _ccare_key_figures(self):
        """The handful of figures shown as boxes at the top of the report."""
        self.ensure_one()
        wanted = [
            ("customers", 0),
            ("revenue", 0),
            ("pipeline", 4),  # win rate
            ("pipeline", 8),  # open pipeline
        ]
        result = []
        for section, index in wanted:
            lines = self.line_ids.filtered(lambda line, s=section: line.section == s).sorted(
                "sequence"
            )
            if len(lines) > index:
                result.append(lines[index])
        return result
