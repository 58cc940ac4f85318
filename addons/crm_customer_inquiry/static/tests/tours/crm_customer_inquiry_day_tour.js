import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

function pagerTotal() {
    const limit = document.querySelector(".o_pager_limit");
    return limit ? parseInt(limit.textContent, 10) : document.querySelectorAll(".o_data_row").length;
}

// care.user: records a complaint that came in by phone; it is held to the
// complaints SLA at once and listed with the open inquiries.
registry.category("web_tour.tours").add("care_user_day_record_inquiry", {
    url: "/odoo",
    steps: () => {
        let before = 0;
        return [
            stepUtils.showAppsMenuItem(),
            {
                trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
                content: "Open the Customer Care app",
                run: "click",
            },
            {
                trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_inquiry.crm_customer_inquiry_menu_root']",
                content: "Open the Inquiries menu",
                run: "click",
            },
            {
                trigger: ".dropdown-item[data-menu-xmlid='crm_customer_inquiry.helpdesk_ticket_menu_inquiries']",
                content: "Open the inquiries",
                run: "click",
            },
            {
                trigger: ".o_kanban_view .o_kanban_record:contains('Desk delivered with a scratched top')",
                content: "The open inquiries, the demo complaint among them",
            },
            {
                trigger: ".o_switch_view.o_list",
                content: "See them as a list",
                run: "click",
            },
            {
                trigger: ".o_list_renderer .o_data_row:contains('Desk delivered with a scratched top')",
                content: "Count the open inquiries",
                run() {
                    before = pagerTotal();
                },
            },
            {
                trigger: ".o_control_panel_main_buttons .o_list_button_add",
                content: "Record a new inquiry",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_field_widget[name=name] input, .o_form_view .o_field_widget[name=name] textarea",
                content: "What the customer says",
                run: "edit Chairs of the last order wobble",
            },
            {
                trigger: ".o_field_widget[name=partner_id] input",
                content: "Who called",
                run: "edit Gemini Furniture",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Gemini Furniture')",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=channel_id] input",
                content: "It came in by phone",
                run: "edit Phone",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Phone')",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=category_id] input",
                content: "It is a complaint",
                run: "edit Complaint",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Complaint')",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=description] .odoo-editor-editable",
                content: "Write down what the customer said",
                run: "editor Four of the twelve chairs delivered last week wobble.",
            },
            ...stepUtils.saveForm(),
            {
                trigger: ".o_field_widget[name=inquiry_state]:contains('New')",
                content: "It is new",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons:has(button[name=action_send_response])",
                content: "Send Answer is offered",
            },
            {
                trigger: ".o_notebook .nav-link:contains('Response')",
                content: "Look at its SLA",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=sla_status]:contains('Running')",
                content: "The complaints SLA runs",
            },
            {
                trigger: ".o_field_widget[name=response_deadline]:not(:empty)",
                content: "with its answer deadline",
            },
            {
                trigger: ".o_breadcrumb a:contains('Inquiries')",
                content: "Back to the inquiries",
                run: "click",
            },
            {
                trigger: ".o_list_renderer .o_data_row:contains('Chairs of the last order wobble')",
                content: "The new inquiry is listed with the open ones",
                run() {
                    const after = pagerTotal();
                    if (after !== before + 1) {
                        throw new Error(`expected ${before + 1} open inquiries, got ${after}`);
                    }
                },
            },
        ];
    },
});
