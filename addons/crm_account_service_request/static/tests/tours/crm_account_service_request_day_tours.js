import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

function pagerTotal() {
    const limit = document.querySelector(".o_pager_limit");
    return limit ? parseInt(limit.textContent, 10) : document.querySelectorAll(".o_data_row").length;
}

function openAccountRequests() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_customers']",
            content: "Open the Customers menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_account_service_request.crm_account_service_request_menu']",
            content: "Open the account requests",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains('Open')",
            content: "The open requests",
        },
    ];
}

// care.user: Gemini Furniture asks on the phone to close its account; the
// request is recorded and submitted, and waits for a manager's approval
// (the preparer can neither approve it nor carry it out).
registry.category("web_tour.tours").add("care_user_day_account_request", {
    url: "/odoo",
    steps: () => {
        let before = 0;
        return [
            ...openAccountRequests(),
            {
                trigger: ".o_list_renderer .o_data_row:contains('Ready Mat')",
                content: "Count the open requests",
                run() {
                    before = pagerTotal();
                },
            },
            {
                trigger: ".o_control_panel_main_buttons .o_list_button_add",
                content: "Record a new request",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=partner_id] input",
                content: "The customer",
                run: "edit Gemini Furniture",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:not(:contains('Create')):contains('Gemini Furniture')",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=partner_id] input:value(Gemini Furniture)",
                content: "The customer is set",
            },
            {
                trigger: ".o_field_widget[name=request_type] .o_select_menu_toggler",
                content: "What it asks for",
                run: "click",
            },
            {
                trigger: ".o_select_menu_item:contains('Close account')",
                content: "to close its account",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=source] .o_select_menu_toggler",
                content: "How it asked",
                run: "click",
            },
            {
                trigger: ".o_select_menu_item:contains('Phone')",
                content: "on the phone",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=description] textarea",
                content: "Why",
                run: "edit Merged into its parent company; close at the end of the quarter.",
            },
            {
                trigger: ".o_field_widget[name=needs_approval] input:checked",
                content: "Closing an account needs a manager's approval",
            },
            ...stepUtils.saveForm(),
            {
                trigger: ".o_form_view button[name=action_submit]",
                content: "Submit it",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Waiting Approval')",
                content: "It waits for approval",
            },
            {
                trigger: ".o_form_view .alert-warning:contains('validat')",
                content: "The approval is requested",
            },
            {
                trigger: ".o_form_view:not(:has(button[name=validate_tier])):not(:has(button[name=action_done])):not(:has(button[name=action_submit]))",
                content: "Who prepared it can neither approve it nor carry it out",
            },
            {
                trigger: ".o_field_widget[name=sla_deadline]:not(:empty)",
                content: "Its SLA deadline is set",
            },
            {
                trigger: ".o_breadcrumb a:contains('Account Requests')",
                content: "Back to the account requests",
                run: "click",
            },
            {
                trigger: ".o_list_renderer .o_data_row:contains('Gemini Furniture'):contains('Waiting Approval')",
                content: "The request is listed, waiting for approval",
                run() {
                    const after = pagerTotal();
                    if (after !== before + 1) {
                        throw new Error(`expected ${before + 1} open requests, got ${after}`);
                    }
                },
            },
        ];
    },
});

// care.manager: approves Ready Mat's closure, which Cody recorded; it can
// then be carried out.
registry.category("web_tour.tours").add("care_manager_day_approve_request", {
    url: "/odoo",
    steps: () => [
        ...openAccountRequests(),
        {
            trigger: ".o_list_renderer .o_data_row:contains('Ready Mat'):contains('Waiting Approval') .o_data_cell[name=name]",
            content: "Open Ready Mat's closure",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Waiting Approval')",
            content: "It waits for approval",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_done]))",
            content: "It cannot be carried out before approval",
        },
        {
            trigger: ".o_form_view button[name=validate_tier]",
            content: "Approve it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Approved')",
            content: "It is approved",
        },
        {
            trigger: ".o_form_view:has(button[name=action_done]):not(:has(button[name=validate_tier]))",
            content: "It can be carried out; nothing left to approve",
        },
    ],
});
