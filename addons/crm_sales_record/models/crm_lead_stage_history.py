from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmLeadStageHistory(models.Model):
    """The permanent sales record: one line per stage change of a lead.

    Lines are written only by crm.lead (create and write, one INSERT per
    call whatever the number of leads) and never change afterwards: there
    is no create/write/unlink access, and write/unlink are refused on the
    server even for administrators. A lead's first line (no "from" stage)
    is its entry into the pipeline; leads that existed before the module
    was installed get one such line from their last stage update.
    """

    _name = "crm.lead.stage.history"
    _inherit = ["crm.customer.care.append.only.mixin"]
    # recorded by the leads themselves (one INSERT per write), never by hand
    _ccare_server_create_only = True
    _description = "Lead Stage History"
    _order = "date desc, id desc"
    _rec_name = "lead_name"

    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True, index=True, ondelete="set null")
    lead_name = fields.Char("Lead Name", readonly=True)
    stage_from_id = fields.Many2one("crm.stage", "From Stage", readonly=True, ondelete="set null")
    stage_to_id = fields.Many2one(
        "crm.stage", "To Stage", readonly=True, index=True, ondelete="set null"
    )
    date = fields.Datetime(readonly=True, required=True, index=True)
    user_id = fields.Many2one("res.users", "Changed By", readonly=True, ondelete="set null")
    salesperson_id = fields.Many2one("res.users", "Salesperson", readonly=True, ondelete="set null")
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="set null")
    customer_segment_id = fields.Many2one(
        "crm.customer.segment", "Customer Segment", readonly=True, ondelete="set null"
    )
    source_id = fields.Many2one("utm.source", "Source", readonly=True, ondelete="set null")
    expected_revenue = fields.Float(
        "Expected Revenue", readonly=True, aggregator="sum", digits=(16, 2)
    )
    probability = fields.Float(readonly=True, aggregator="avg")
    is_won = fields.Boolean("Won Stage", readonly=True)

    _lead_date_idx = models.Index("(lead_id, date, id)")

    # ------------------------------------------------------------ recording
    @api.model
    def _record(self, uid_by_lead):
        """Record the stage change of every lead in ``uid_by_lead`` ({lead id:
        id of the user who changed it}) in one INSERT: a lead whose current
        stage differs from the last one recorded (none for a new lead) gets a
        line from that stage to its current one; the others are skipped by
        the statement itself. Called once per transaction with every lead
        created or written (crm.customer.care.deferred)."""
        if not uid_by_lead:
            return
        Lead = self.env["crm.lead"]
        Lead.flush_model(
            [
                "name",
                "stage_id",
                "user_id",
                "team_id",
                "company_id",
                "customer_segment_id",
                "source_id",
                "expected_revenue",
                "probability",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_lead_stage_history
                       (lead_id, lead_name, stage_from_id, stage_to_id, date, user_id,
                        salesperson_id, team_id, company_id, customer_segment_id, source_id,
                        expected_revenue, probability, is_won,
                        create_uid, create_date, write_uid, write_date)
                SELECT lead.id, lead.name, last.stage_to_id, lead.stage_id, %(now)s, v.uid,
                       lead.user_id, lead.team_id, lead.company_id, lead.customer_segment_id,
                       lead.source_id, lead.expected_revenue, lead.probability,
                       coalesce(stage.is_won, false),
                       v.uid, %(now)s, v.uid, %(now)s
                  FROM unnest(%(ids)s::int[], %(uids)s::int[]) AS v(lead_id, uid)
                  JOIN crm_lead lead ON lead.id = v.lead_id
             LEFT JOIN LATERAL (SELECT h.stage_to_id
                                  FROM crm_lead_stage_history h
                                 WHERE h.lead_id = lead.id
                              ORDER BY h.date DESC, h.id DESC
                                 LIMIT 1) AS last ON TRUE
             LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.stage_id IS DISTINCT FROM last.stage_to_id
                """,
                now=self.env.cr.now(),
                ids=list(uid_by_lead),
                uids=list(uid_by_lead.values()),
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model()
            Lead.invalidate_model(["stage_history_ids"])

    def flush_model(self, fnames=None):
        # whoever reads the record (search, reports through _depends) sees
        # the moves of this transaction
        self.env["crm.customer.care.deferred"]._flush_pending(["_ccare_deferred_stage_history"])
        return super().flush_model(fnames)

    @api.model
    def _backfill(self):
        """Leads created before the addon was installed enter the record
        once, in their current stage, at their last stage update. Called by
        the addon's ``post_init_hook`` (hooks.py), never on an upgrade: from
        then on every lead is recorded as it is created. A lead that already
        has a line is left alone, so a second run (a database upgraded from
        Customer Care 19.0.1.x installing this addon) adds nothing."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_lead_stage_history
                       (lead_id, lead_name, stage_to_id, date, user_id, salesperson_id,
                        team_id, company_id, customer_segment_id, source_id,
                        expected_revenue, probability, is_won,
                        create_uid, create_date, write_uid, write_date)
                SELECT lead.id, lead.name, lead.stage_id,
                       coalesce(lead.date_last_stage_update, lead.create_date),
                       lead.write_uid, lead.user_id, lead.team_id, lead.company_id,
                       lead.customer_segment_id, lead.source_id, lead.expected_revenue,
                       lead.probability, coalesce(stage.is_won, false),
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM crm_lead lead
             LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.stage_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM crm_lead_stage_history h
                                    WHERE h.lead_id = lead.id)
                """,
                now=self.env.cr.now(),
                uid=self.env.uid,
            )
        )


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_history_ids = fields.One2many(
        "crm.lead.stage.history",
        "lead_id",
        "Stage History",
        readonly=True,
        groups="crm_customer_care.group_crm_customer_care_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_stage_history", leads)
        return leads

    def write(self, vals):
        res = super().write(vals)
        # the team and the type can move a lead to another stage (stage_id is
        # computed from them), so the record watches them as well
        if {"stage_id", "team_id", "type"} & vals.keys():
            self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_stage_history", self)
        return res

    def _ccare_deferred_stage_history(self, uid_by_lead):
        self.env["crm.lead.stage.history"]._record(uid_by_lead)
