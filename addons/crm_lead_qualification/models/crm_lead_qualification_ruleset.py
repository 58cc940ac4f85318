from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

# leads per rescoring job: one set-based UPDATE each (Odoo's PLS writes
# probabilities in batches of the same size, PLS_UPDATE_BATCH_STEP)
RESCORE_CHUNK_SIZE = 5000


class CrmLeadQualificationRuleset(models.Model):
    """Management's standard for qualifying leads: weighted criteria and the
    grades their total earns. One rule set applies per lead: the first one
    for the lead's sales team, else the first one of its company."""

    _name = "crm.lead.qualification.ruleset"
    _description = "Lead Qualification Rule Set"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        help="Leave empty to apply to every team of the company without a rule set of its own.",
    )
    criterion_ids = fields.One2many(
        "crm.lead.qualification.criterion", "ruleset_id", string="Criteria", copy=True
    )
    grade_ids = fields.One2many(
        "crm.lead.qualification.grade", "ruleset_id", string="Grades", copy=True
    )
    lead_count = fields.Integer("Leads", compute="_compute_lead_count")
    rescoring_job_count = fields.Integer("Chunks waiting", compute="_compute_rescoring_job_count")

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]._read_group(
                [("qualification_ruleset_id", "in", self.ids)],
                ["qualification_ruleset_id"],
                ["__count"],
            )
        )
        for ruleset in self:
            ruleset.lead_count = counts.get(ruleset, 0)

    def _compute_rescoring_job_count(self):
        waiting = (
            self.env["queue.job"]
            .sudo()
            .search_count(
                [
                    ("model_name", "=", "crm.lead"),
                    ("method_name", "=", "_ccare_qualify"),
                    ("state", "in", ("wait_dependencies", "pending", "enqueued", "started")),
                ]
            )
        )
        self.rescoring_job_count = waiting

    # ------------------------------------------------------------ matching
    def _ruleset_pick_sql(self):
        """The rule set of each lead, as an SQL expression on ``crm_lead``
        over the rule sets ``self`` (in their order): the first one of the
        lead's sales team, else the first one without a team; its company is
        the lead's, or none. NULL when no rule set applies."""
        team_first = self.filtered("team_id") + self.filtered(lambda ruleset: not ruleset.team_id)
        cases = []
        for ruleset in team_first:
            conditions = [SQL("TRUE")]
            if ruleset.team_id:
                conditions.append(SQL('"crm_lead"."team_id" = %s', ruleset.team_id.id))
            if ruleset.company_id:
                conditions.append(SQL('"crm_lead"."company_id" = %s', ruleset.company_id.id))
            cases.append(SQL("WHEN %s THEN %s", SQL(" AND ").join(conditions), ruleset.id))
        if not cases:
            return SQL("NULL::int")
        return SQL("(CASE %s END)", SQL(" ").join(cases))

    def _grade_for(self, score, knocked_out, grades=None):
        """The best grade whose minimum ``score`` reaches, or an empty record
        (disqualified) when a required criterion failed or no grade is reached.
        ``grades``: the rule set's grades when the caller already read them."""
        self.ensure_one()
        if knocked_out:
            return self.env["crm.lead.qualification.grade"]
        grades = self.grade_ids if grades is None else grades
        reached = grades.filtered(lambda grade: grade.min_score <= score)
        return reached.sorted("min_score", reverse=True)[:1]

    @api.model
    def _trigger_fields(self):
        """Lead fields the active criteria read (plus what picks the rule
        set): writing one of them requalifies the lead. Cached: every lead
        write asks, the rules rarely change, and changing them clears the
        cache (create/write/unlink of rule sets, criteria and grades)."""
        return self._trigger_fields_cached()

    @tools.ormcache()
    def _trigger_fields_cached(self):
        names = {"company_id", "team_id", "active"}
        for criterion in (
            self.env["crm.lead.qualification.criterion"]
            .sudo()
            .search([("ruleset_id.active", "=", True)])
        ):
            for condition in criterion._lead_domain().iter_conditions():
                if isinstance(condition.field_expr, str):
                    names.add(condition.field_expr.split(".", 1)[0])
        return frozenset(names)

    # ------------------------------------------------------------ batch
    @api.model
    def _enqueue_rescoring(self, domain=None):
        """Requalify the leads of ``domain`` (all active leads by default) in
        queue_job jobs of one chunk each; returns the number of chunks."""
        leads = self.env["crm.lead"].sudo().search(domain or [])
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            leads,
            "_ccare_qualify",
            chunk_size=RESCORE_CHUNK_SIZE,
            description=self.env._("Requalify leads"),
        )

    @api.model
    def _cron_rescore_leads(self):
        self._enqueue_rescoring()

    def _scope_domain(self):
        companies = self.mapped("company_id")
        if not self.filtered(lambda ruleset: not ruleset.company_id):
            return [("company_id", "in", [False, *companies.ids])]
        return []

    def action_rescore(self):
        self.check_access("write")
        chunks = self._enqueue_rescoring(self._scope_domain())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Requalification queued"),
                "message": self.env._(
                    "%(chunks)s job(s) will requalify the leads with these rules.",
                    chunks=chunks,
                ),
            },
        }

    def action_open_leads(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lead_qualification.crm_lead_action_qualified"
        )
        action["domain"] = [("qualification_ruleset_id", "=", self.id)]
        return action

    @api.model_create_multi
    def create(self, vals_list):
        rulesets = super().create(vals_list)
        self.env.registry.clear_cache()  # _trigger_fields
        rulesets._enqueue_rescoring(rulesets._scope_domain())
        return rulesets

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            self.env.registry.clear_cache()  # _trigger_fields
        if {"active", "sequence", "company_id", "team_id"} & set(vals):
            self._enqueue_rescoring(self._scope_domain())
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _trigger_fields
        return res
