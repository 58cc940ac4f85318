import math
from collections import defaultdict
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import welch_interval

from .crm_call_qa_scorecard import CALLER_GROUP
from .crm_call_qa_scorecard import CALLER_GROUPS

RESULT_KINDS = [
    ("caller", "Caller"),
    ("agency", "Agency"),
    ("agencies", "All Agencies"),
    ("staff", "All Staff"),
]
COACHING_DAYS = 7


def moments(values):
    """``(n, mean, sample variance)`` of ``values`` (n - 1 in the denominator)."""
    n = len(values)
    mean = sum(values) / n if n else 0.0
    var = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return n, mean, var


class CrmCallQaResult(models.Model):
    """The scorecard report of a sample: the done scorecards' totals per
    caller, per agency, all agencies and all staff, side by side, each
    against the staff callers.

    *Difference* is the group's mean minus the staff's (for a staff caller,
    minus the other staff callers'), with Welch's 95 % interval
    (``crm_customer_care.stats.welch_interval``); *significant* only when
    the interval excludes zero. A caller with at least the company's minimum
    sample whose mean is below its bar gets one coaching activity (on this
    line, for the agency's supervisor or the staff caller's team leader).

    Written by the server only (refreshed whenever a scorecard is done);
    one line per sample and key, so the coaching activity stays on it."""

    _name = "crm.call.qa.result"
    _description = "Call Scorecard Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _order = "sample_id desc, kind desc, mean desc, id"
    _rec_name = "label"

    sample_id = fields.Many2one(
        "crm.call.qa.sample", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="sample_id.company_id", store=True, index=True)
    date_from = fields.Date(related="sample_id.date_from", store=True)
    kind = fields.Selection(RESULT_KINDS, required=True, readonly=True)
    label = fields.Char("Caller or Group", readonly=True)
    caller_group = fields.Selection(CALLER_GROUPS, "Staff or Agency", readonly=True)
    caller_id = fields.Many2one(
        "crm.call.caller", "Caller Profile", readonly=True, index=True, groups=CALLER_GROUP
    )
    user_id = fields.Many2one("res.users", "Caller", readonly=True, index="btree_not_null")
    agency_id = fields.Many2one(
        "crm.call.agency", readonly=True, index="btree_not_null", groups=CALLER_GROUP
    )
    sample_size = fields.Integer("Scored Calls", readonly=True, aggregator="sum")
    mean = fields.Float("Mean Total", readonly=True, aggregator="avg")
    std_dev = fields.Float("Std. Deviation", readonly=True, aggregator=None)
    staff_mean = fields.Float(
        "Staff Mean",
        readonly=True,
        aggregator=None,
        help="The mean of the staff callers it is compared with (a staff caller: the others).",
    )
    difference = fields.Float(readonly=True, aggregator=None, help="Mean minus the staff mean.")
    ci_low = fields.Float("95% Low", readonly=True, aggregator=None)
    ci_high = fields.Float("95% High", readonly=True, aggregator=None)
    has_interval = fields.Boolean(
        readonly=True, help="Welch's interval needs two scored calls on each side."
    )
    significant = fields.Boolean(
        "Difference Is Significant",
        readonly=True,
        help="The 95 % interval of the difference excludes zero.",
    )
    below_bar = fields.Boolean(
        readonly=True,
        help="A caller with at least the minimum sample whose mean is below the company's bar.",
    )
    coaching_date = fields.Date(readonly=True, help="When the coaching activity was scheduled.")
    coach_id = fields.Many2one("res.users", "Coach", readonly=True)

    _key_unique = models.UniqueIndex(
        "(sample_id, kind, coalesce(caller_id, 0), coalesce(agency_id, 0))",
        "A sample's report has one line per caller and group.",
    )

    @api.model
    def _ccare_qa_groups(self, cards):
        """``{key: (values, totals, compared)}`` for the done ``cards``
        (see the class): ``key`` is ``(kind, caller id, agency id)``."""
        staff_by_card = {card.id: card.total for card in cards if card.caller_group == "staff"}
        staff = list(staff_by_card.values())
        members = defaultdict(list)
        info = {}
        for card in cards:
            agency = card.agency_id
            caller_key = ("caller", card.caller_id.id, agency.id or 0)
            members[caller_key].append(card)
            info[caller_key] = {
                "label": card.caller_id.name or card.user_id.name,
                "caller_group": card.caller_group,
                "user_id": card.user_id.id,
            }
            if agency:
                members["agency", 0, agency.id].append(card)
                info["agency", 0, agency.id] = {"label": agency.name, "caller_group": "agency"}
                members["agencies", 0, 0].append(card)
        info["agencies", 0, 0] = {
            "label": self.env._("All agencies"),
            "caller_group": "agency",
        }
        info["staff", 0, 0] = {"label": self.env._("All staff"), "caller_group": "staff"}
        members["staff", 0, 0] = [card for card in cards if card.caller_group == "staff"]
        groups = {}
        for key, group in members.items():
            own = {card.id for card in group}
            compared = (
                [total for card_id, total in staff_by_card.items() if card_id not in own]
                if key[0] == "caller"
                else staff
            )
            if key[0] == "staff":
                compared = []
            groups[key] = (info[key], [card.total for card in group], compared)
        return groups

    @api.model
    def _ccare_qa_figures(self, totals, compared):
        """Size, mean, deviation and the Welch interval of ``totals`` against
        ``compared``."""
        n, mean, var = moments(totals)
        m, compared_mean, compared_var = moments(compared)
        values = {
            "sample_size": n,
            "mean": mean,
            "std_dev": math.sqrt(var),
            "staff_mean": compared_mean,
            "difference": mean - compared_mean if n and m else 0.0,
            "ci_low": 0.0,
            "ci_high": 0.0,
            "has_interval": False,
            "significant": False,
        }
        interval = welch_interval(n, mean, var, m, compared_mean, compared_var)
        if interval:
            _diff, low, high, _df = interval
            values.update(
                ci_low=low, ci_high=high, has_interval=True, significant=low > 0 or high < 0
            )
        return values

    @api.model
    def _ccare_qa_refresh(self, samples):
        """Recompute the report lines of ``samples`` from their done
        scorecards, writing only the lines whose figures changed, then
        schedule the coaching due."""
        Result = self.sudo()
        for sample in samples.sudo():
            cards = sample.scorecard_ids.filtered(lambda card: card.state == "done")
            existing = {
                (line.kind, line.caller_id.id or 0, line.agency_id.id or 0): line
                for line in sample.result_ids
            }
            company = sample.company_id
            new_vals = []
            with Result._ccare_append_only_unlocked():
                for key, (info, totals, compared) in Result._ccare_qa_groups(cards).items():
                    values = dict(info, **Result._ccare_qa_figures(totals, compared))
                    values["below_bar"] = bool(
                        key[0] == "caller"
                        and values["sample_size"] >= company.ccare_qa_min_sample
                        and values["mean"] < company.ccare_qa_bar
                    )
                    line = existing.get(key)
                    if not line:
                        new_vals.append(
                            dict(
                                values,
                                sample_id=sample.id,
                                kind=key[0],
                                caller_id=key[1] or False,
                                agency_id=key[2] or False,
                            )
                        )
                        continue
                    changed = {
                        name: value
                        for name, value in values.items()
                        if not _same(line[name], value, line._fields[name])
                    }
                    if changed:
                        line.write(changed)
                Result.create(new_vals)
            sample.result_ids._ccare_qa_schedule_coaching()

    def _ccare_qa_schedule_coaching(self):
        """One coaching activity per caller line below the bar, ever."""
        due = self.filtered(lambda line: line.below_bar and not line.coaching_date)
        today = fields.Date.context_today(self)
        for line in due:
            coach = line._ccare_qa_coach()
            company = line.company_id
            line.activity_schedule(
                "crm_callplan_quality.mail_activity_type_qa_coaching",
                date_deadline=today + timedelta(days=COACHING_DAYS),
                summary=self.env._("Coaching: %(caller)s", caller=line.label),
                note=self.env._(
                    "Mean scorecard total %(mean).1f over %(count)s scored calls from "
                    "%(date)s, below the bar of %(bar).0f.",
                    mean=line.mean,
                    count=line.sample_size,
                    date=line.sample_id.date_from,
                    bar=company.ccare_qa_bar,
                ),
                user_id=coach.id,
            )
            with line._ccare_append_only_unlocked():
                line.write({"coaching_date": today, "coach_id": coach.id})

    def _ccare_qa_coach(self):
        """An agent's coach is their agency's supervisor; a staff caller's,
        their sales team's leader; else the sample's QA responsible."""
        self.ensure_one()
        supervisors = self.agency_id.supervisor_ids
        if supervisors:
            return supervisors[:1]
        leader = self.user_id.sale_team_id.user_id
        if not self.agency_id and leader and leader != self.user_id:
            return leader
        return self.sample_id.user_id or self.env.user


def _same(current, value, field):
    if field.type == "many2one":
        return current.id == (value or False)
    if field.type == "float":
        return abs((current or 0.0) - (value or 0.0)) < 1e-9
    return (current or False) == (value or False)
