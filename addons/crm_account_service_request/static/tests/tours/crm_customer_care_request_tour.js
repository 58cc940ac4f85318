import { registry } from "@web/core/registry";

// A portal customer asks for an address change.
registry.category("web_tour.tours").add("crm_customer_care_request_tour", {
    url: "/my/requests/new",
    steps: () => [
        {
            trigger: ".o_ccare_request_form input[name=street]",
            content: "Type the new street",
            run: "edit 12 New Street",
        },
        {
            trigger: ".o_ccare_send_request",
            content: "Send the request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_ccare_request_submitted",
            content: "The request is acknowledged",
        },
        {
            trigger: ".o_ccare_request_row:contains('Update details')",
            content: "It is listed with its status",
        },
    ],
});
