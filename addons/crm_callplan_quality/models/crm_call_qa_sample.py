import random
from collections import Counter
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import draw_holdout
from odoo.addons.crm_customer_care.stats import holdout_fraction
from odoo.exceptions import ValidationError

# callers per queued job when a sample is drawn in chunks
CHUNK_SIZE = 100
SAMPLE_STATES = [("draft", "Draft"), ("drawn", "Drawn")]


def previous_month(day):
    """``(first day, last day)`` of the month before ``day``."""
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


class CrmCallQaSample(models.Model):
    """The calls drawn for quality review in one company over one period
    (a month by default): in each caller's completed calls of the period,
    the sample's share, drawn at random with the sample's seed and stored as
    draft scorecards.

    The draw is ``crm_customer_care.stats.draw_holdout`` with one stratum
    per caller: each call is ranked on ``holdout_fraction(seed, call id)``
    and the lowest ``round(share * calls)`` (half up) are drawn. The same
    seed and calls always draw the same calls; drawing again adds only what
    is missing (a call completed late joins its caller's stratum), never a
    call twice (one scorecard per call, a unique key)."""

    _name = "crm.call.qa.sample"
    _description = "Call QA Sample"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    _ccare_workflow_fields = ("state", "date_drawn")
    _ccare_frozen_fields = ("company_id", "date_from", "date_to", "percent", "seed")

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: previous_month(fields.Date.context_today(self))[0],
    )
    date_to = fields.Date(
        "To", required=True, default=lambda self: previous_month(fields.Date.context_today(self))[1]
    )
    percent = fields.Float(
        "Share (%)",
        required=True,
        default=lambda self: self.env.company.ccare_qa_sample_percent,
        help="The share of each caller's completed calls drawn (rounded half up per caller).",
    )
    seed = fields.Integer(
        required=True,
        default=lambda self: random.SystemRandom().randint(1, 2**31 - 1),
        help="The draw is reproducible: the same seed and calls draw the same calls.",
    )
    state = fields.Selection(SAMPLE_STATES, required=True, default="draft", tracking=True)
    date_drawn = fields.Datetime("Last Drawn", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        "QA Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Gets the coaching activities of staff callers without a sales team leader.",
    )
    scorecard_ids = fields.One2many("crm.call.qa.scorecard", "sample_id", string="Scorecards")
    result_ids = fields.One2many("crm.call.qa.result", "sample_id", string="Results")
    scorecard_count = fields.Integer("Sampled Calls", compute="_compute_counts")
    done_count = fields.Integer("Scored", compute="_compute_counts")

    _period_unique = models.Constraint(
        "UNIQUE(company_id, date_from, date_to)", "A company has one QA sample per period."
    )
    _percent_range = models.Constraint(
        "CHECK (percent >= 0 AND percent <= 100)", "The share is between 0 and 100 %."
    )

    @api.depends("date_from", "date_to", "company_id.name")
    def _compute_name(self):
        for sample in self:
            sample.name = self.env._(
                "QA %(start)s to %(end)s", start=sample.date_from or "", end=sample.date_to or ""
            )

    def _compute_counts(self):
        rows = self.env["crm.call.qa.scorecard"]._read_group(
            [("sample_id", "in", self.ids)], ["sample_id", "state"], ["__count"]
        )
        counts = Counter()
        for sample, state, count in rows:
            counts[sample.id] += count
            if state == "done":
                counts[sample.id, "done"] += count
        for sample in self:
            sample.scorecard_count = counts[sample.id]
            sample.done_count = counts[sample.id, "done"]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for sample in self:
            if sample.date_to < sample.date_from:
                raise ValidationError(
                    self.env._(
                        "A QA sample cannot end before it starts: %(name)s.", name=sample.name
                    )
                )

    # ------------------------------------------------------------ the draw
    def action_draw(self):
        """Draw (or top up) the sample: inline for a few callers, in queued
        chunks of callers otherwise (each chunk idempotent, so a job run
        twice, or the button pressed again, adds nothing)."""
        self.check_access("write")
        Job = self.env["crm.customer.care.chunked.job"]
        for sample in self:
            callers = self.env["crm.call.caller"].sudo().browse(list(sample._qa_population()))
            if len(callers) <= CHUNK_SIZE:
                callers._ccare_qa_draw(sample.id)
            else:
                Job._enqueue_chunks(
                    callers,
                    "_ccare_qa_draw",
                    chunk_size=CHUNK_SIZE,
                    description=self.env._("Draw QA sample %(name)s", name=sample.name),
                    sample_id=sample.id,
                )
            with sample._ccare_transition():
                sample.write({"state": "drawn", "date_drawn": fields.Datetime.now()})
        return True

    def _qa_population(self, callers=None):
        """``{caller id: [call id, ...]}``: the completed calls of the
        period (their done date, UTC) made by a caller profile."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "done"),
            ("caller_id", "!=", False),
            ("date_done", ">=", datetime.combine(self.date_from, time.min)),
            ("date_done", "<", datetime.combine(self.date_to + timedelta(days=1), time.min)),
        ]
        if callers is not None:
            domain.append(("caller_id", "in", callers.ids))
        rows = self.env["crm.call"].sudo()._read_group(domain, ["caller_id"], ["id:array_agg"])
        return {caller.id: sorted(ids) for caller, ids in rows}

    def _qa_draw(self, callers):
        """Draw the calls of ``callers`` (see the class); returns the new
        scorecards."""
        self.ensure_one()
        strata = self._qa_population(callers)
        drawn = draw_holdout(self.seed, self.percent, strata)
        population = [call_id for ids in strata.values() for call_id in ids]
        existing = (
            self.env["crm.call.qa.scorecard"]
            .sudo()
            .search_fetch([("call_id", "in", population)], ["call_id", "sample_id", "caller_id"])
        )
        taken = set(existing.call_id.ids)
        kept = Counter(card.caller_id.id for card in existing if card.sample_id == self)
        new_calls = []
        for caller_id, ids in strata.items():
            chosen = sorted(
                (call_id for call_id in ids if call_id in drawn),
                key=lambda call_id: (holdout_fraction(self.seed, call_id), call_id),
            )
            room = len(chosen) - kept[caller_id]
            new_calls += [call_id for call_id in chosen if call_id not in taken][: max(room, 0)]
        calls = self.env["crm.call"].sudo().browse(new_calls)
        return self.env["crm.call.qa.scorecard"]._ccare_qa_create(self, calls)

    @api.model
    def _cron_draw_samples(self):
        """Each company's sample of last month: made if missing, then drawn
        (a re-run adds nothing); the results of open samples refreshed."""
        date_from, date_to = previous_month(fields.Date.context_today(self))
        for company in self.env["res.company"].search([]):
            sample = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ]
            ) or self.with_company(company).create(
                {"company_id": company.id, "date_from": date_from, "date_to": date_to}
            )
            sample.action_draw()
        self.search([("state", "=", "drawn")])._qa_refresh_results()

    # ------------------------------------------------------------ results
    def _qa_refresh_results(self):
        self.env["crm.call.qa.result"]._ccare_qa_refresh(self)

    def action_refresh_results(self):
        self.check_access("write")
        self._qa_refresh_results()
        return True

    def action_view_scorecards(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_callplan_quality.crm_call_qa_scorecard_action"
        )
        action["domain"] = [("sample_id", "=", self.id)]
        action["context"] = {"default_sample_id": self.id}
        return action

    def action_view_results(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_callplan_quality.crm_call_qa_result_action"
        )
        action["domain"] = [("sample_id", "=", self.id)]
        return action
