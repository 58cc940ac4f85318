from odoo import models


class CrmCustomerReviewXlsx(models.AbstractModel):
    """A customer review as a workbook: one sheet per review with its frozen
    figures, findings and recommended actions (OCA report_xlsx)."""

    # the name keeps the module it was first released in: the upgrade keeps
    # its XML ids (the report action's report_name follows it)
    _name = "report.crm_customer_care.customer_review_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Review XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        number = workbook.add_format({"num_format": "#,##0.00"})
        sections = dict(
            self.env["crm.customer.review.line"]._fields["section"]._description_selection(self.env)
        )
        for review in objs:
            sheet = workbook.add_worksheet(review.name[:31])
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 1, 48)
            sheet.set_column(2, 4, 16)
            sheet.write(0, 0, review.name, title)
            sheet.write(1, 0, self.env._("Period"), bold)
            sheet.write(1, 1, f"{review.date_from} - {review.date_to}")
            sheet.write(2, 0, self.env._("Status"), bold)
            sheet.write(
                2, 1, dict(review._fields["state"]._description_selection(self.env))[review.state]
            )
            row = 4
            headers = [
                self.env._("Section"),
                self.env._("Figure"),
                self.env._("Value"),
                self.env._("Previous Period"),
                self.env._("Change (%)"),
            ]
            for col, header in enumerate(headers):
                sheet.write(row, col, header, bold)
            for line in review.line_ids.sorted("sequence"):
                row += 1
                sheet.write(row, 0, sections.get(line.section, line.section))
                sheet.write(row, 1, line.name)
                sheet.write_number(row, 2, line.value, number)
                if line.has_previous:
                    sheet.write_number(row, 3, line.previous_value, number)
                    sheet.write_number(row, 4, line.change_percent, number)
            for label, html in (
                (self.env._("Findings"), review.findings),
                (self.env._("Recommended Actions"), review.recommended_actions),
            ):
                row += 2
                sheet.write(row, 0, label, bold)
                sheet.write(row, 1, self._text(html))

    @staticmethod
    def _text(html):
        from lxml import html as lxml_html  # noqa: PLC0415

        return lxml_html.fromstring(str(html)).text_content().strip() if html else ""
