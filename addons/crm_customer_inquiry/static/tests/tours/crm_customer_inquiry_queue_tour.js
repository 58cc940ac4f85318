import { registry } from "@web/core/registry";

// A care user answers an inquiry from the inquiries kanban.
registry.category("web_tour.tours").add("crm_customer_inquiry_queue_tour", {
    url: "/odoo/inquiries",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Tour fridge is broken')",
            content: "Open the inquiry",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Response')",
            content: "Go to the response",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=response] .odoo-editor-editable",
            content: "Write the answer",
            run: "editor A technician comes on Monday.",
        },
        {
            trigger: "button[name=action_send_response]",
            content: "Send it to the customer",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=inquiry_state]:contains('Answered')",
            content: "The inquiry is answered",
        },
    ],
});
