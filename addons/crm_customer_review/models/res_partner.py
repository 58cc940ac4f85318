from odoo import fields
from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_schedule_account_reviews(self, today=None):
        """Plan the review of every account of ``self`` that is due in its
        segment's current period: one INSERT ... ON CONFLICT DO NOTHING of
        the schedule rows (what already exists is skipped), one batch create
        of the activities for the new rows, one UPDATE linking them."""
        today = today or fields.Date.context_today(self)
        partners = self.sudo().search_fetch(
            [
                ("id", "in", self.ids),
                ("parent_id", "=", False),
                ("user_id", "!=", False),
                ("segment_id.review_frequency", "!=", "none"),
            ],
            ["segment_id", "user_id", "company_id", "name"],
        )
        if not partners:
            return 0
        periods = {segment: segment._ccare_review_period(today) for segment in partners.segment_id}
        inserted = partners._ccare_insert_review_schedules(periods)
        if not inserted:
            return 0
        activities = partners._ccare_create_review_activities(inserted, periods)
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_customer_review_schedule s SET activity_id = v.activity_id
                  FROM unnest(%s::int[], %s::int[]) AS v(id, activity_id)
                 WHERE s.id = v.id
                """,
                [row[0] for row in inserted],
                activities.ids,
            )
        )
        self.env["crm.customer.review.schedule"].invalidate_model(["activity_id"])
        return len(inserted)

    def _ccare_insert_review_schedules(self, periods):
        """One INSERT ... ON CONFLICT DO NOTHING of the schedule rows of the
        accounts of ``self`` for their segment's ``periods``: [(id, partner
        id)] of the rows inserted (what already existed is skipped)."""
        rows = [
            (
                partner.id,
                partner.segment_id.id,
                partner.user_id.id,
                partner.company_id.id or None,
                periods[partner.segment_id][0],
                periods[partner.segment_id][1],
            )
            for partner in self
        ]
        now = self.env.cr.now()
        inserted = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_customer_review_schedule
                       (partner_id, segment_id, user_id, company_id, period_start, period_end,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.partner_id, v.segment_id, v.user_id, v.company_id, v.period_start,
                       v.period_end, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(partner)s::int[], %(segment)s::int[], %(user)s::int[],
                              %(company)s::int[], %(start)s::date[], %(end)s::date[])
                       AS v(partner_id, segment_id, user_id, company_id, period_start, period_end)
                    ON CONFLICT (partner_id, period_start) DO NOTHING
             RETURNING id, partner_id
                """,
                uid=self.env.uid,
                now=now,
                partner=[r[0] for r in rows],
                segment=[r[1] for r in rows],
                user=[r[2] for r in rows],
                company=[r[3] for r in rows],
                start=[r[4] for r in rows],
                end=[r[5] for r in rows],
            )
        )
        return inserted

    def _ccare_create_review_activities(self, inserted, periods):
        """One batch create of the review activities of the ``inserted``
        schedule rows (``self``: their accounts)."""
        by_partner = {partner.id: partner for partner in self}
        activity_type = self.env.ref(
            "crm_customer_review.mail_activity_type_account_review", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True, mail_notify_force_send=False)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner_id,
                        "activity_type_id": activity_type.id if activity_type else False,
                        "user_id": by_partner[partner_id].user_id.id,
                        "date_deadline": periods[by_partner[partner_id].segment_id][1],
                        "summary": self.env._(
                            "Periodic review of %(account)s (%(segment)s)",
                            account=by_partner[partner_id].name,
                            segment=by_partner[partner_id].segment_id.name,
                        ),
                    }
                    for _id, partner_id in inserted
                ]
            )
        )
        return activities
