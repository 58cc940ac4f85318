from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_import")
class TestCustomerImportTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = mail_new_test_user(
            cls.env,
            login="tour_import_manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        Import = cls.env["crm.customer.import"].with_user(cls.manager)
        cls.report = Import.create(
            {
                "name": "Tour fair import",
                "source_id": cls.env["utm.source"].create({"name": "Tour fair"}).id,
            }
        )
        headers, rows = Import._read_import_file(
            b"Name,Email\n"
            b"Tina Tour,tina.tour@example.com\n"
            b"Tina Again,TINA.TOUR@example.com\n"
            b"Bob Bad,bob@\n",
            "tour.csv",
        )
        cls.report._run(headers, rows, {0: "name", 1: "email"}, dry_run=False)

    def test_import_tour(self):
        self.assertEqual(self.report.created_count, 1)
        self.start_tour("/odoo", "crm_customer_import_tour", login="tour_import_manager")

    def test_download_csv_route(self):
        """The Download CSV button serves the report as a CSV file."""
        action = self.report.action_download_csv()
        self.authenticate("tour_import_manager", "tour_import_manager")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        lines = response.text.splitlines()
        self.assertTrue(lines[0].startswith("row,status,name,email"))
        self.assertIn("3,Duplicate,Tina Again,tina.tour@example.com", lines[2])
        self.assertTrue(lines[3].endswith("bad email bob@"))
