from odoo.tests import tagged

from .common import CustomerCareCommon

DEFERRED = "crm_customer_care.deferred"


class HotPathsCommon(CustomerCareCommon):
    """Our create/write overrides on crm.lead, res.partner, mail.activity and
    calendar.event cost nothing when they run: they note the records, and
    one set-based step per transaction (precommit, or the first read of
    what it writes) does the work. Measured like Odoo's assertQueryCount:
    the transaction's end (cr.flush(), which runs the precommit hooks)
    included. Odoo's own mail tracking (one message per record) is switched
    off so that only our cost is compared."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["queue.job"].search([]).unlink()
        cls.segment = cls.env["crm.customer.segment"].create(
            {"name": "Hot path city", "sequence": 1, "domain": "[('city', '=', 'Hotville')]"}
        )
        cls.quiet = cls.env(context={"tracking_disable": True})

    def _transaction(self, work, *args):
        """Queries of ``work(*args)`` up to the end of the transaction."""
        self.env.cr.flush()
        before = self.cr.sql_log_count
        result = work(*args)
        self.env.cr.flush()
        return self.cr.sql_log_count - before, result

    def _create_leads(self, count):
        return self.quiet["crm.lead"].create(
            [{"name": f"Hot {i}", "email_from": f"hot{i}@acme.example"} for i in range(count)]
        )

    def _create_partners(self, count):
        return self.quiet["res.partner"].create(
            [{"name": f"Hot Ltd {i}", "is_company": True} for i in range(count)]
        )

    def _pending(self):
        return self.env.cr.precommit.data.get(DEFERRED, {})

    # ------------------------------------------------------------ leads
    def _deferred_cost(self, work, count):
        """Queries of our deferred steps for ``work(count)``: ``work`` runs
        (Odoo's own cost, flushed), then the steps run as at commit."""
        self.env.cr.flush()
        records = work(count)
        self.env.flush_all()
        self.assertTrue(self._pending(), "the overrides noted the records")
        before = self.cr.sql_log_count
        self.env["crm.customer.care.deferred"]._flush_pending()
        self.env.flush_all()
        return self.cr.sql_log_count - before, records


@tagged("post_install", "-at_install", "ccare_performance")
class TestHotPaths(HotPathsCommon):
    def test_lead_create_and_write_constant(self):
        """10 or 100 leads created, then changed and moved: our steps cost
        the same queries, and each lead is recorded once. The steps on a
        lead's own fields are those the installed addons add (the stage
        record, the qualification); with none installed (the core alone:
        its lead step follows activities, not lead writes), leads created
        and moved note nothing at all."""
        stage = self.env["crm.stage"].search([], limit=1, order="sequence desc")
        steps = {
            method
            for model, method in self.env["crm.customer.care.deferred"]._ccare_steps()
            if model == "crm.lead"
        } - {"_ccare_deferred_lead_contact_dates"}

        def create_write(count):
            leads = self._create_leads(count)
            leads.write({"phone": "+32 2 555 01 01"})
            leads.write({"stage_id": stage.id})
            self.assertEqual(steps, set(self._pending()) & steps, "every lead step noted them")
            return leads

        if not steps:
            self.env.cr.flush()
            create_write(10)
            self.assertFalse(self._pending(), "no step of the installed addons reads leads")
            return
        self._deferred_cost(create_write, 3)  # warm the caches
        small_count, _small = self._deferred_cost(create_write, 10)
        big_count, _big = self._deferred_cost(create_write, 100)
        self.assertEqual(small_count, big_count)

    def test_lead_write_of_other_fields_defers_nothing(self):
        leads = self._create_leads(5)
        self.env.cr.flush()
        leads.write({"description": "<p>Called back</p>"})
        self.assertFalse(self._pending(), "no field our steps read was written")

    # ------------------------------------------------------------ partners
    def test_partner_create_and_write_constant(self):
        def create_write(count):
            partners = self._create_partners(count)
            partners.write({"city": "Hotville"})
            return partners

        self._deferred_cost(create_write, 3)
        small_count, _small = self._deferred_cost(create_write, 10)
        big_count, big = self._deferred_cost(create_write, 100)
        self.assertEqual(small_count, big_count)
        self.assertEqual(big.segment_id, self.segment)
        moves = self.env["crm.customer.segment.history"].search_count(
            [("partner_id", "in", big.ids), ("segment_to_id", "=", self.segment.id)]
        )
        self.assertEqual(moves, 100, "one move per partner")

    def test_partner_segment_read_in_the_transaction(self):
        partner = self._create_partners(1)
        partner.city = "Hotville"
        self.assertEqual(partner.segment_id, self.segment)
        partner.city = "Elsewhere"
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("id", "=", partner.id), ("segment_id", "=", self.segment.id)]
            ),
            0,
        )

    def test_partner_write_of_other_fields_defers_nothing(self):
        partners = self._create_partners(3)
        self.env.cr.flush()
        partners.write({"comment": "<p>Met at the fair</p>"})
        self.assertFalse(self._pending())

    def test_activities_constant(self):
        """Scheduling activities on 10 or 100 customers: the contact dates
        are computed once, in the same queries."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")

        def schedule(partners):
            return self.quiet["mail.activity"].create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": todo.id,
                        "date_deadline": "2031-05-04",
                        "user_id": self.env.uid,
                    }
                    for partner in partners
                ]
            )

        small, big = self._create_partners(10), self._create_partners(100)
        warm = self._create_partners(3)
        self._transaction(schedule, warm)
        small_count, _ = self._transaction(schedule, small)
        big_count, _ = self._transaction(schedule, big)
        self.assertEqual(small_count, big_count)
        self.assertEqual(set(big.mapped("next_contact_date")), {big[0].next_contact_date})
        self.assertEqual(str(big[0].next_contact_date), "2031-05-04")
