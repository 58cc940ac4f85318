import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A manager computes, approves and prints a customer review.
registry.category("web_tour.tours").add("crm_customer_review_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_reporting']",
            content: "Open Reporting",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_customer_review.crm_customer_review_menu']",
            content: "Open the customer reviews",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_data_cell:contains('Tour Segment Review')",
            content: "Open the review prepared by the analyst",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_compute]:contains('Compute')",
            content: "Compute: freeze the figures",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=line_ids] .o_data_row:contains('Open pipeline')",
            content: "The frozen figures are listed",
        },
        {
            trigger: ".o_form_view button[name=action_approve]",
            content: "Approve the review",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains('Approved'), .o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
            content: "The review is approved",
        },
        {
            trigger: ".o_form_view button[name=action_print]",
            content: "Print the management report",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_blockUI))",
            content: "The report is produced",
        },
    ],
});
