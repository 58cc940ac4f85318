import { registry } from "@web/core/registry";

// A portal customer submits an inquiry from their portal...
registry.category("web_tour.tours").add("crm_customer_inquiry_portal_submit_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            trigger: "button[name='create_new_ticket']",
            content: "Ask a new question",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "form input[name='subject']",
            content: "Say what it is about",
            run: "edit Which paint suits an oak desk?",
        },
        {
            trigger: "form textarea[name='description']",
            content: "Describe the question",
            run: "edit We bought the oak desk last month and want to repaint it.",
        },
        {
            trigger: "form button[type='submit']",
            content: "Submit the inquiry",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_ccare_inquiry_state:contains('New')",
            content: "The inquiry is recorded, waiting for our answer",
        },
    ],
});

// ... and, once the care team answered, sees the answer there.
registry.category("web_tour.tours").add("crm_customer_inquiry_portal_answer_tour", {
    url: "/my/tickets",
    steps: () => [
        {
            trigger: "a:contains('Which paint suits an oak desk?')",
            content: "Open the inquiry",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_ccare_inquiry_state:contains('Answered')",
            content: "It has been answered",
        },
        {
            trigger: ".o_ccare_inquiry_response:contains('Use a water-based oak varnish')",
            content: "Read the answer",
        },
    ],
});
