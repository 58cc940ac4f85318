import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// loyalty.manager: reviews the anomaly the daily detection raised on the
// demo voucher (paid with points earned the same day) and clears it with a
// note; the queue is then empty.
registry.category("web_tour.tours").add("loyalty_manager_day_clear_anomaly", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_loyalty.crm_loyalty_menu_root']",
            content: "Open the Loyalty menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_loyalty_anomaly.crm_loyalty_anomaly_menu']",
            content: "Open the anomalies",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains('To Review')",
            content: "Those to review",
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Redeemed right after earning')",
            content: "One anomaly to review: a reward paid with points earned the same day",
            run() {
                const rows = document.querySelectorAll(".o_list_renderer .o_data_row");
                if (rows.length !== 1) {
                    throw new Error(`expected 1 anomaly to review, got ${rows.length}`);
                }
            },
        },
        {
            trigger: ".o_list_view:not(:has(.o_list_button_add))",
            content: "Anomalies are raised by the detection, never created by hand",
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Redeemed right after earning') .o_data_cell[name=kind]",
            content: "Open it",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=reason]:contains('Redeemed 200.00 points within 24 hours')",
            content: "Why it was raised, with the figures",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_clear]",
            content: "Clear it without saying why",
            run: "click",
        },
        {
            trigger: ".modal .modal-body:contains('write a review note first')",
            content: "A note is required",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            content: "Close the message",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=clear_note] textarea",
            content: "What was checked",
            run: "edit Checked with the account manager: the voucher was agreed at the year-end review.",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_clear]",
            content: "Clear it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Cleared')",
            content: "It is cleared",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_clear]))",
            content: "Nothing left to clear",
        },
        {
            trigger: ".o_field_widget[name=cleared_by_id]:contains('Lou')",
            content: "Cleared by the loyalty manager",
        },
        {
            trigger: ".o_breadcrumb a:contains('Anomalies')",
            content: "Back to the anomalies",
            run: "click",
        },
        {
            trigger: ".o_view_nocontent:contains('Nothing to review')",
            content: "Nothing left to review",
        },
    ],
});
