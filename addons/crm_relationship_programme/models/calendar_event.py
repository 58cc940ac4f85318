from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CalendarEvent(models.Model):
    """A relationship programme's event (a workshop, a customer evening) is
    a calendar event linked to the programme. Recording attendance gives
    each member who attended the points of the programme's "event attended"
    rule, once per event and card (the event is the posting's source), with
    the caps and the suspension of the ledger; the holdout and people who
    take no part in the programme earn nothing.

    The programme is loyalty staff's (``groups``) and is not copied: Odoo
    copies an event as the user who duplicates it or makes it recurrent, and
    a plain employee may not read it. Loyalty staff link an occurrence to
    its programme."""

    _inherit = "calendar.event"

    crm_programme_id = fields.Many2one(
        "crm.relationship.programme",
        "Relationship Programme",
        index="btree_not_null",
        copy=False,
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_attended_partner_ids = fields.Many2many(
        "res.partner",
        "calendar_event_crm_attended_rel",
        "event_id",
        "partner_id",
        string="Attended",
        readonly=True,
        copy=False,
        groups="crm_loyalty.group_crm_loyalty_user",
        help="The members whose attendance was recorded (and who earned the event's points).",
    )

    def action_crm_record_attendance(self, partner_ids=None):
        """Record that the attendees (or ``partner_ids`` among them) came."""
        self.check_access("write")
        if not self.env.user.has_group("crm_loyalty.group_crm_loyalty_user"):
            raise UserError(self.env._("Only loyalty staff record a programme event's attendance."))
        # any employee writes an event: the programme is what pays, and its
        # company's staff only may make it pay
        self.crm_programme_id.check_access("read")
        events = self.sudo()
        for event in events:
            programme = event.crm_programme_id
            if not programme:
                raise UserError(
                    self.env._("“%s” is not an event of a relationship programme.", event.name)
                )
            if programme.state != "running":
                raise UserError(
                    self.env._(
                        "Programme “%(programme)s” is not running: attendance earns nothing.",
                        programme=programme.name,
                    )
                )
            came = event.partner_ids
            if partner_ids is not None:
                came = came.filtered(lambda p: p.id in partner_ids)
            # members of the programme only: the holdout and outsiders earn nothing
            members = (
                self.env["crm.relationship.participant"]
                .sudo()
                .search(
                    [
                        ("programme_id", "=", programme.id),
                        ("group", "=", "member"),
                        ("partner_id", "in", came.commercial_partner_id.ids),
                    ]
                )
            )
            member_ids = set(members.partner_id.ids)
            attended = came.browse([p.id for p in came if p.commercial_partner_id.id in member_ids])
            if not attended:
                continue
            event.crm_attended_partner_ids = [(4, p.id) for p in attended]
            # one award per member account and event, however many of its
            # people came: recording it again posts nothing (the event is
            # the posting's source)
            accounts = attended.commercial_partner_id
            self.env["loyalty.card"].sudo()._loyalty_award(
                "event_attended",
                accounts,
                program=programme.loyalty_program_id or None,
                origins=[event] * len(accounts),
            )
        return True
