import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const CUSTOMERS_MENU = "crm_customer_care.crm_customer_care_menu_customers";

// A manager opens the import wizard from Customers > Import, then reads the
// report of an import (prepared by the test) and finds each row's outcome.
registry.category("web_tour.tours").add("crm_customer_import_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer .o_kanban_record",
            content: "The app's customers are shown before a menu is opened",
        },
        {
            trigger: `.dropdown-toggle[data-menu-xmlid='${CUSTOMERS_MENU}']`,
            content: "Open the Customers menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_customer_import.crm_customer_import_wizard_menu']",
            content: "Open the import wizard",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view .o_field_widget[name='source_id']",
            content: "The wizard asks for the file's source",
        },
        {
            trigger: ".modal .o_form_view .o_field_widget[name='target'] input[data-value='lead']",
            content: "Customers or leads can be imported",
        },
        {
            trigger: ".modal footer button[name='action_parse']:contains('Read File')",
            content: "The file is read before anything else",
        },
        {
            trigger: ".modal footer button:contains('Cancel')",
            content: "Close the wizard",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `.dropdown-toggle[data-menu-xmlid='${CUSTOMERS_MENU}']`,
            content: "Open the Customers menu again",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_customer_import.crm_customer_import_menu']",
            content: "Open the import reports",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour fair import')",
            content: "Open the report prepared by the test",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='created_count']:contains('1')",
            content: "One customer created",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='rejected_count']:contains('1')",
            content: "One row rejected",
        },
        {
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row:contains('Tina Tour'):contains('New')",
            content: "The created row",
        },
        {
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row:contains('bad email')",
            content: "The rejected row says why",
        },
        {
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row:contains('duplicate of row 2')",
            content: "The duplicate row is flagged for review",
        },
        {
            trigger: ".o_form_view button[name='action_download_csv']:contains('Download CSV')",
            content: "The report can be downloaded",
        },
    ],
});
