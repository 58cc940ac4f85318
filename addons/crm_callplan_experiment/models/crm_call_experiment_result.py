from collections import defaultdict
from datetime import datetime
from datetime import time

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import welch_interval
from odoo.tools import SQL

from .crm_call_experiment import METRICS

# lifecycle stages of a customer that is no longer retained
LOST_STAGES = ("lapsed", "closed")
SCALE = {"health": 1.0, "satisfaction": 1.0, "revenue": 1.0, "retention": 100.0}


def moments(values):
    """``(n, mean, sample variance)`` of ``values``."""
    n = len(values)
    mean = sum(values) / n if n else 0.0
    var = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return n, mean, var


class CrmCallExperimentResult(models.Model):
    """One figure of one arm against the control, frozen when the experiment
    finishes (refreshed while it runs), written by the server only.

    Per customer over the experiment's period (start to end, or today if
    sooner), by intention to treat (every member of the arm, called or not):

    - *health change*: health on the last day of the period minus health on
      its first day (``crm.customer.health.history``: the last entry on or
      before each day; customers without an entry before the start are left
      out of this figure);
    - *satisfaction*: the mean rating (1-5) of the customer's done calls in
      the period (customers with no rated call left out);
    - *revenue*: from ``crm.customer.revenue.report`` over the period;
    - *retention*: 100 if the customer's lifecycle stage at the end (its
      health history, else its current stage) is not lapsed or closed, else 0.

    The difference arm - control carries Welch's 95% interval
    (``crm_customer_care.stats.welch_interval``); it is significant when the
    interval excludes zero."""

    _name = "crm.call.experiment.result"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Call Experiment Result"
    _order = "experiment_id, metric, arm_id"

    experiment_id = fields.Many2one(
        "crm.call.experiment", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="experiment_id.company_id", store=True, index=True)
    arm_id = fields.Many2one(
        "crm.call.experiment.arm", required=True, ondelete="cascade", readonly=True
    )
    is_control = fields.Boolean(related="arm_id.is_control", store=True)
    metric = fields.Selection(METRICS, required=True, readonly=True)
    count = fields.Integer("Customers", readonly=True, aggregator="sum")
    mean = fields.Float(readonly=True, aggregator="avg")
    control_mean = fields.Float(readonly=True, aggregator="avg")
    difference = fields.Float(readonly=True, aggregator="avg", help="Arm minus control.")
    low = fields.Float("95% Low", readonly=True, aggregator="avg")
    high = fields.Float("95% High", readonly=True, aggregator="avg")
    has_interval = fields.Boolean(readonly=True)
    significant = fields.Boolean(
        readonly=True, help="The 95% interval of the difference excludes zero."
    )

    @api.model
    def _ccare_units(self, experiment):
        """``{partner_id: {metric: value or None}}`` for the members of
        ``experiment`` (see the class); four queries."""
        start = experiment.date_start
        end = min(experiment.date_end, fields.Date.context_today(self))
        self.env.flush_all()
        units = {}
        for partner_id, before, after, stage, current in self.env.execute_query(
            SQL(
                """
                SELECT m.partner_id,
                       (SELECT h.score FROM crm_customer_health_history h
                         WHERE h.partner_id = m.partner_id AND h.date <= %(start)s
                         ORDER BY h.date DESC, h.id DESC LIMIT 1),
                       e.score, e.lifecycle_stage, p.lifecycle_stage
                  FROM crm_call_experiment_member m
                  JOIN res_partner p ON p.id = m.partner_id
                  LEFT JOIN LATERAL (
                       SELECT h.score, h.lifecycle_stage FROM crm_customer_health_history h
                        WHERE h.partner_id = m.partner_id AND h.date <= %(end)s
                        ORDER BY h.date DESC, h.id DESC LIMIT 1) e ON TRUE
                 WHERE m.experiment_id = %(experiment)s
                """,
                start=start,
                end=end,
                experiment=experiment.id,
            )
        ):
            units[partner_id] = {
                "health": after - before if before is not None and after is not None else None,
                "satisfaction": None,
                "revenue": 0.0,
                "retention": float((stage or current) not in LOST_STAGES),
            }
        for partner, satisfaction in (
            self.env["crm.call"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", list(units)),
                    ("company_id", "=", experiment.company_id.id),
                    ("state", "=", "done"),
                    ("satisfaction", ">", 0),
                    ("date_done", ">=", datetime.combine(start, time.min)),
                    ("date_done", "<=", datetime.combine(end, time.max)),
                ],
                ["partner_id"],
                ["satisfaction:avg"],
            )
        ):
            units[partner.id]["satisfaction"] = satisfaction
        totals = self.env["crm.customer.revenue.report"]._ccare_totals(
            [
                ("commercial_partner_id", "in", list(units)),
                ("company_id", "=", experiment.company_id.id),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        )
        for partner_id, (revenue, _cost) in totals.items():
            if partner_id in units:
                units[partner_id]["revenue"] = revenue
        return units

    @api.model
    def _ccare_compute(self, experiments):
        """Replace the results of ``experiments`` and set their winning arm:
        the arm other than the control whose primary figure's interval lies
        above zero, the largest difference if several."""
        vals_list, winners = [], {}
        for experiment in experiments:
            units = self._ccare_units(experiment)
            by_arm = defaultdict(list)
            for member in experiment.member_ids:
                by_arm[member.arm_id].append(units[member.partner_id.id])
            control = experiment.arm_ids.filtered("is_control")[:1]
            best = None
            for metric, _label in METRICS:
                scale = SCALE[metric]
                base = moments(
                    [u[metric] * scale for u in by_arm[control] if u[metric] is not None]
                )
                for arm in experiment.arm_ids:
                    own = moments([u[metric] * scale for u in by_arm[arm] if u[metric] is not None])
                    interval = None if arm == control else welch_interval(*own, *base)
                    significant = bool(interval and (interval[1] > 0 or interval[2] < 0))
                    vals_list.append(
                        {
                            "experiment_id": experiment.id,
                            "arm_id": arm.id,
                            "metric": metric,
                            "count": own[0],
                            "mean": own[1],
                            "control_mean": base[1],
                            "difference": own[1] - base[1] if own[0] and base[0] else 0.0,
                            "low": interval[1] if interval else 0.0,
                            "high": interval[2] if interval else 0.0,
                            "has_interval": bool(interval),
                            "significant": significant,
                        }
                    )
                    if (
                        metric == experiment.primary_metric
                        and significant
                        and interval[1] > 0
                        and (not best or interval[0] > best[0])
                    ):
                        best = (interval[0], arm)
            winners[experiment] = best[1] if best else experiment.arm_ids.browse()
        with self._ccare_append_only_unlocked():
            experiments.result_ids.unlink()
            self.create(vals_list)
        for experiment, arm in winners.items():
            with experiment._ccare_transition():
                experiment.winner_arm_id = arm
        return True
