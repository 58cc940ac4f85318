from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import TransactionCase


class MailingBridgeCommon(TransactionCase):
    """Known data: a target list of three customers and one lead.

    - Carla (c1) and Dirk (c2) granted e-mail marketing;
    - Ella (c3) granted, then withdrew it (which also blacklists her address);
    - Frank (c4) decided nothing (marketing is opt-in: blocked);
    - the lead is Carla's, with her buyer as contact person (who follows
      the account's grant), whose own address is on Odoo's blacklist.

    The list holds c1, c2, c3 and the lead: its mailing list gets c1 and c2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketer = mail_new_test_user(
            cls.env,
            login="ccare_marketer",
            name="Mara Marketer",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "mass_mailing.group_mass_mailing_user",
        )
        Partner = cls.env["res.partner"]
        cls.c1, cls.c2, cls.c3, cls.c4 = Partner.create(
            [
                {"name": name, "email": f"{name.lower()}@example.com", "is_company": True}
                for name in ("Carla", "Dirk", "Ella", "Frank")
            ]
        )
        (cls.c1 | cls.c2 | cls.c3)._ccare_record_consent(
            "marketing", "email", "granted", source="form"
        )
        cls.c3._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        cls.buyer = Partner.create(
            {
                "name": "Carla's buyer",
                "parent_id": cls.c1.id,
                "email": "carla.purchasing@example.com",
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Carla's extension", "partner_id": cls.buyer.id, "type": "lead"}
        )
        cls.env["mail.blacklist"].create({"email": "carla.purchasing@example.com"})
        cls.target = cls.env["crm.customer.target.list"].create(
            {
                "name": "Spring offer",
                "audience": "both",
                "partner_domain": repr([("id", "in", (cls.c1 | cls.c2 | cls.c3).ids)]),
                "lead_domain": repr([("id", "=", cls.lead.id)]),
            }
        )

    def _mailing(self, model, **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": f"Offer to {model}",
                "body_html": "<p>Our spring offer</p>",
                "mailing_model_id": self.env["ir.model"]._get(model).id,
                **values,
            }
        )
