import math
import random
from collections import defaultdict
from datetime import timedelta
from statistics import NormalDist

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import holdout_fraction
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Domain

STRATIFY_BY = [("health", "Health band"), ("revenue", "Revenue tercile")]
METRICS = [
    ("health", "Health change"),
    ("satisfaction", "Satisfaction"),
    ("revenue", "Revenue"),
    ("retention", "Retention (%)"),
]
# health bands of the stratification: score below 40, 40-69, 70 and above
HEALTH_BANDS = ((40, "health < 40"), (70, "health 40-69"), (101, "health 70+"))
# the revenue terciles are ranked on the revenue of the year before the start
REVENUE_DAYS = 365


def sample_size(effect, sd, alpha=0.05, power=0.8):
    """Customers needed per arm to detect a difference of means ``effect``
    between two arms whose figure has standard deviation ``sd``, with a
    two-sided test at level ``alpha`` and the given ``power`` (normal
    approximation)::

        n = 2 * ((z(1 - alpha/2) + z(power)) * sd / effect)^2, rounded up

    E.g. effect = 5, sd = 20, alpha = 0.05, power 0.8: 2 · (1.95996 + 0.84162)² · 4²
    = 251.2, so 252 per arm. 0 when an input is out of range."""
    if not (effect > 0 and sd > 0 and 0 < alpha < 1 and 0 < power < 1):
        return 0
    z = NormalDist().inv_cdf
    return math.ceil(2 * ((z(1 - alpha / 2) + z(power)) * sd / effect) ** 2 - 1e-9)


def allocate(size, shares):
    """How many of ``size`` customers each arm gets, ``shares`` being the
    arms' percentages in order: the largest-remainder split, ties to the
    earlier arm. E.g. 7 customers, 50/50: [4, 3]; 10 at 20/30/50: [2, 3, 5]."""
    total = sum(shares) or 1.0
    exact = [size * share / total for share in shares]
    counts = [math.floor(value) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: size - sum(counts)]:
        counts[i] += 1
    return counts


class CrmCallExperiment(models.Model):
    """A call-frequency experiment: the customers of a segment are drawn at
    random into arms, each called under its own call policy by the
    recurring plan while the experiment runs; at the end each arm is
    compared with the control arm on health, satisfaction, revenue and
    retention, with Welch's 95% interval (see ``crm.call.experiment.result``).

    The draw is stratified and seeded: within each stratum (a health band, or
    a revenue tercile of the year before the start), the customers are
    ranked on ``holdout_fraction(seed, partner id)`` and dealt into the arms
    in their shares; the same seed and population always give the same
    arms."""

    _name = "crm.call.experiment"
    _description = "Call-Frequency Experiment"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _ccare_workflow_fields = ("state", "winner_arm_id", "policy_applied", "date_done")
    _ccare_frozen_fields = ("company_id", "segment_id", "seed", "stratify_by", "date_start")

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    segment_id = fields.Many2one(
        "crm.customer.segment",
        required=True,
        check_company=True,
        tracking=True,
        help="Its customers are drawn into the arms; the winning arm's frequency is "
        "written onto this segment's call policy.",
    )
    segment_policy_id = fields.Many2one(
        "crm.call.policy",
        "Segment Policy",
        compute="_compute_segment_policy_id",
        help="The segment's active call policy: what the plan follows outside the experiment.",
    )
    date_start = fields.Date("Start", required=True, default=fields.Date.context_today)
    date_end = fields.Date(
        "End",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=180),
    )
    seed = fields.Integer(
        required=True,
        default=lambda self: random.SystemRandom().randint(1, 2**31 - 1),
        help="The draw of the arms is reproducible: the same seed and customers give "
        "the same arms.",
    )
    stratify_by = fields.Selection(
        STRATIFY_BY,
        "Stratify By",
        required=True,
        default="health",
        help="Health band: health below 40, 40-69, 70 and above. Revenue tercile: the "
        "segment's customers ranked on their revenue of the year before the start, in "
        "thirds. Each stratum is split between the arms in their shares.",
    )
    primary_metric = fields.Selection(
        METRICS,
        required=True,
        default="health",
        help="The figure on which an arm must beat the control (95% interval above zero) "
        "for its policy to be proposed.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    date_done = fields.Date("Finished On", readonly=True)
    arm_ids = fields.One2many("crm.call.experiment.arm", "experiment_id", string="Arms")
    member_ids = fields.One2many("crm.call.experiment.member", "experiment_id", string="Members")
    member_count = fields.Integer("Customers", compute="_compute_member_count")
    result_ids = fields.One2many("crm.call.experiment.result", "experiment_id", string="Results")
    winner_arm_id = fields.Many2one("crm.call.experiment.arm", "Winning Arm", readonly=True)
    proposal = fields.Char(compute="_compute_proposal")
    policy_applied = fields.Boolean(readonly=True, tracking=True)
    # power calculation, before the start
    power_effect = fields.Float(
        "Effect to Detect",
        default=5.0,
        help="The smallest difference of the primary figure between two arms worth "
        "detecting (e.g. 5 health points).",
    )
    power_sd = fields.Float(
        "Standard Deviation", default=20.0, help="The spread of the figure among customers."
    )
    power_alpha = fields.Float("Significance Level", default=0.05, digits=(3, 2))
    power_power = fields.Float("Power", default=0.8, digits=(3, 2))
    power_sample_size = fields.Integer(
        "Customers Needed per Arm",
        compute="_compute_power",
        help="n = 2 * ((z(1 - alpha/2) + z(power)) * sd / effect)^2, rounded up: the normal "
        "approximation of a two-sided test between two arms.",
    )
    power_note = fields.Char(compute="_compute_power")

    _dates = models.Constraint(
        "CHECK(date_end > date_start)", "An experiment ends after it starts."
    )

    @api.constrains("power_effect", "power_sd", "power_alpha", "power_power")
    def _check_power_inputs(self):
        for experiment in self:
            if not (0 < experiment.power_alpha < 1 and 0 < experiment.power_power < 1):
                raise ValidationError(
                    self.env._("The significance level and the power are between 0 and 1.")
                )
            if experiment.power_effect < 0 or experiment.power_sd < 0:
                raise ValidationError(
                    self.env._("The effect and the standard deviation cannot be negative.")
                )

    def _compute_segment_policy_id(self):
        policies = self.env["crm.call.policy"].search(
            [("segment_id", "in", self.segment_id.ids), ("partner_id", "=", False)]
        )
        for experiment in self:
            experiment.segment_policy_id = policies.filtered(
                lambda p, e=experiment: (
                    p.segment_id == e.segment_id
                    and p.company_id in (e.company_id, self.env["res.company"])
                )
            )[:1]

    def _compute_member_count(self):
        counts = dict(
            self.env["crm.call.experiment.member"]._read_group(
                [("experiment_id", "in", self.ids)], ["experiment_id"], ["__count"]
            )
        )
        for experiment in self:
            experiment.member_count = counts.get(experiment, 0)

    @api.depends("power_effect", "power_sd", "power_alpha", "power_power", "arm_ids.member_count")
    def _compute_power(self):
        for experiment in self:
            needed = sample_size(
                experiment.power_effect,
                experiment.power_sd,
                experiment.power_alpha,
                experiment.power_power,
            )
            experiment.power_sample_size = needed
            smallest = min(experiment.arm_ids.mapped("member_count") or [0])
            if not needed or not experiment.member_count:
                experiment.power_note = False
            elif smallest >= needed:
                experiment.power_note = self.env._(
                    "The smallest arm has %(n)s customers: enough.", n=smallest
                )
            else:
                experiment.power_note = self.env._(
                    "The smallest arm has %(n)s customers, fewer than the %(needed)s needed: "
                    "an effect of this size may go unseen.",
                    n=smallest,
                    needed=needed,
                )

    @api.depends("winner_arm_id", "policy_applied", "segment_id")
    def _compute_proposal(self):
        for experiment in self:
            arm = experiment.winner_arm_id
            if experiment.state != "done":
                experiment.proposal = False
            elif not arm:
                experiment.proposal = self.env._(
                    "No arm beat the control on %(metric)s: keep the current policy.",
                    metric=dict(METRICS)[experiment.primary_metric],
                )
            elif experiment.policy_applied:
                experiment.proposal = self.env._(
                    "Applied: the segment is called under the frequency of “%(arm)s”.",
                    arm=arm.name,
                )
            else:
                experiment.proposal = self.env._(
                    "Call the segment every %(number)s %(unit)s, as arm “%(arm)s”: it beat the "
                    "control on %(metric)s.",
                    number=arm.policy_id.interval_number,
                    unit=dict(
                        arm.policy_id._fields["interval_type"]._description_selection(self.env)
                    )[arm.policy_id.interval_type].lower(),
                    arm=arm.name,
                    metric=dict(METRICS)[experiment.primary_metric],
                )

    # ------------------------------------------------------------ draw
    def _population_domain(self):
        """The segment's customers that may be drawn: accounts of the segment
        in the company, not ours, without a call policy of their own, and in
        no other running experiment."""
        self.ensure_one()
        own_policies = (
            self.env["crm.call.policy"]
            .sudo()
            .search(
                [("partner_id", "!=", False), ("company_id", "in", [False, self.company_id.id])]
            )
        )
        busy = (
            self.env["crm.call.experiment.member"]
            .sudo()
            .search([("experiment_id.state", "=", "running"), ("experiment_id", "!=", self.id)])
        )
        return (
            Domain("segment_id", "=", self.segment_id.id)
            & Domain("parent_id", "=", False)
            & Domain("company_id", "in", [False, self.company_id.id])
            & ~self.env["res.partner"]._ccare_own_partner_domain()
            & Domain("id", "not in", (own_policies.partner_id | busy.partner_id).ids)
        )

    def _strata(self, partners):
        """``{stratum label: [partner id, ...]}`` of ``partners`` by the
        experiment's stratification; one query."""
        self.ensure_one()
        strata = defaultdict(list)
        if self.stratify_by == "health":
            for partner in partners:
                label = next(lab for top, lab in HEALTH_BANDS if partner.health_score < top)
                strata[label].append(partner.id)
            return strata
        revenue = self.env["crm.customer.revenue.report"]._ccare_totals(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "=", self.company_id.id),
                ("date", ">=", self.date_start - timedelta(days=REVENUE_DAYS)),
                ("date", "<", self.date_start),
            ]
        )
        ranked = sorted(partners.ids, key=lambda pid: (revenue.get(pid, (0.0,))[0], pid))
        for rank, partner_id in enumerate(ranked):
            strata[f"revenue T{rank * 3 // len(ranked) + 1}"].append(partner_id)
        return strata

    def _check_arms(self):
        for experiment in self:
            arms = experiment.arm_ids
            if len(arms) < 2 or len(arms.filtered("is_control")) != 1:
                raise UserError(
                    self.env._(
                        "Experiment “%(name)s”: give it at least two arms, one of them the "
                        "control.",
                        name=experiment.name,
                    )
                )
            if abs(sum(arms.mapped("share")) - 100.0) > 0.01:
                raise UserError(
                    self.env._(
                        "Experiment “%(name)s”: the arms' shares must add up to 100%%.",
                        name=experiment.name,
                    )
                )

    def action_draw(self):
        """Draw (again) the segment's customers into the arms, in draft."""
        self.check_access("write")
        for experiment in self:
            if experiment.state != "draft":
                raise UserError(self.env._("The arms are drawn before the experiment starts."))
            experiment._check_arms()
            experiment.sudo()._draw()
        return True

    def _draw(self):
        """Replace the members by a new draw: per stratum, the customers
        ranked on ``holdout_fraction(seed, id)`` are dealt in consecutive
        blocks to the arms (in sequence), sized by :func:`allocate`. Set-based:
        the population, the strata and one batch create."""
        self.ensure_one()
        partners = self.env["res.partner"].search_fetch(
            self._population_domain(), ["health_score"], order="id"
        )
        arms = self.arm_ids.sorted(lambda arm: (arm.sequence, arm.id))
        vals_list = []
        for label, ids in sorted(self._strata(partners).items()):
            ranked = sorted(ids, key=lambda pid: (holdout_fraction(self.seed, pid), pid))
            position = 0
            for arm, count in zip(arms, allocate(len(ranked), arms.mapped("share")), strict=True):
                vals_list.extend(
                    {
                        "experiment_id": self.id,
                        "arm_id": arm.id,
                        "partner_id": partner_id,
                        "stratum": label,
                    }
                    for partner_id in ranked[position : position + count]
                )
                position += count
        Member = self.env["crm.call.experiment.member"]
        with Member._ccare_append_only_unlocked():
            self.member_ids.unlink()
            Member.create(vals_list)
        self.invalidate_recordset(["member_ids", "member_count", "power_note"])
        self.arm_ids.invalidate_recordset(["member_count"])

    # ------------------------------------------------------------ transitions
    def action_start(self):
        """Draft → running: the arms are checked, drawn if not yet, the segment
        must have a call policy (the plan only reaches segments that have
        one), and no customer may be in another running experiment."""
        self.check_access("write")
        for experiment in self:
            if experiment.state != "draft":
                raise UserError(self.env._("Only a draft experiment can start."))
            experiment._check_arms()
            if not experiment.segment_policy_id:
                raise UserError(
                    self.env._(
                        "The segment “%(segment)s” has no active call policy: the plan would "
                        "not call its customers.",
                        segment=experiment.segment_id.name,
                    )
                )
            if not experiment.member_ids:
                experiment.sudo()._draw()
            experiment._check_one_experiment_at_a_time()
            with experiment._ccare_transition():
                experiment.state = "running"
        return True

    def _check_one_experiment_at_a_time(self):
        self.ensure_one()
        self.env["crm.call.experiment"].flush_model(["state"])
        clash = (
            self.env["crm.call.experiment.member"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.member_ids.partner_id.ids),
                    ("experiment_id.state", "=", "running"),
                    ("experiment_id", "!=", self.id),
                ],
                ["partner_id", "experiment_id"],
                limit=5,
            )
        )
        if clash:
            raise UserError(
                self.env._(
                    "A customer takes part in one running experiment at a time: %(names)s "
                    "already in “%(other)s”. Draw the arms again.",
                    names=", ".join(clash.partner_id.mapped("display_name")),
                    other=clash[0].experiment_id.name,
                )
            )

    def action_done(self):
        """Running → done: the results are computed and frozen, the winning
        arm (if any) proposed."""
        self.check_access("write")
        for experiment in self:
            if experiment.state != "running":
                raise UserError(self.env._("Only a running experiment can be finished."))
        self.sudo()._compute_results()
        with self._ccare_transition():
            self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        return True

    def action_refresh_results(self):
        """The interim results of a running experiment."""
        self.check_access("write")
        if self.filtered(lambda e: e.state != "running"):
            raise UserError(self.env._("Only a running experiment's results can be refreshed."))
        self.sudo()._compute_results()
        return True

    def action_cancel(self):
        self.check_access("write")
        if self.filtered(lambda e: e.state not in ("draft", "running")):
            raise UserError(self.env._("Only a draft or running experiment can be cancelled."))
        with self._ccare_transition():
            self.state = "cancelled"
        return True

    def action_apply_policy(self):
        """Write the winning arm's frequency onto the segment's call policy
        (through the ORM: its tracking and checks apply)."""
        self.check_access("write")
        for experiment in self:
            arm = experiment.winner_arm_id
            policy = experiment.segment_policy_id
            if experiment.state != "done" or not arm or experiment.policy_applied:
                raise UserError(self.env._("There is no proposed policy change to apply."))
            if not policy:
                raise UserError(self.env._("The segment has no active call policy any more."))
            policy.write(
                {
                    "interval_number": arm.policy_id.interval_number,
                    "interval_type": arm.policy_id.interval_type,
                }
            )
            with experiment._ccare_transition():
                experiment.policy_applied = True
            experiment.message_post(
                body=self.env._(
                    "Policy “%(policy)s” now calls every %(number)s %(unit)s (arm “%(arm)s”).",
                    policy=policy.name,
                    number=policy.interval_number,
                    unit=policy.interval_type,
                    arm=arm.name,
                )
            )
        return True

    def _compute_results(self):
        self.env["crm.call.experiment.result"]._ccare_compute(self)
