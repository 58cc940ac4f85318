from odoo import api
from odoo import fields
from odoo import models

# who takes part: a member, or a customer held out to measure the programme
PARTICIPANT_GROUPS = [("member", "Member"), ("holdout", "Holdout")]
# how far a participant went (the effectiveness report shows the same states)
PARTICIPANT_STATES = [
    ("holdout", "Held out"),
    ("enrolled", "Enrolled"),
    ("active", "Active"),
    ("redeemed", "Redeemed"),
    ("attended", "Attended"),
]
STATE_ORDER = ["enrolled", "active", "redeemed", "attended"]


class CrmRelationshipParticipant(models.Model):
    _name = "crm.relationship.participant"
    _description = "Relationship Programme Participant"
    _order = "programme_id, id"
    _check_company_auto = True

    programme_id = fields.Many2one(
        "crm.relationship.programme", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="programme_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    segment_id = fields.Many2one(related="partner_id.segment_id", string="Segment")
    group = fields.Selection(PARTICIPANT_GROUPS, required=True, default="member")
    state = fields.Selection(PARTICIPANT_STATES, default="enrolled", required=True)
    date_enrolled = fields.Date(default=fields.Date.context_today, readonly=True)
    card_id = fields.Many2one("loyalty.card", ondelete="set null")

    _partner_unique = models.Constraint(
        "UNIQUE (programme_id, partner_id)", "A customer takes part in a programme once."
    )

    @api.model
    def _loyalty_mark_partners(self, partners, state):
        """Record that members (their participations in running programmes)
        reached ``state``; never moves a participation backwards nor touches
        the holdout. One search and one write per call."""
        if not partners:
            return
        rank = STATE_ORDER.index(state)
        participations = self.search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("group", "=", "member"),
                ("programme_id.state", "=", "running"),
                ("state", "in", STATE_ORDER[:rank]),
            ]
        )
        participations.write({"state": state})
