import { registry } from "@web/core/registry";

// A portal customer asks to be called back.
registry.category("web_tour.tours").add("crm_callplan_inquiry_portal_callback_tour", {
    url: "/my/calls",
    steps: () => [
        {
            trigger: ".o_callplan_callback input[name=topic]",
            content: "Say what it is about",
            run: "edit Renewal of our contract",
        },
        {
            trigger: ".o_callplan_callback_submit",
            content: "Ask for a call back",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_callplan_callback_done",
            content: "The request is confirmed",
        },
    ],
});

// portal member's day: asks to be called back on /my/calls.
registry.category("web_tour.tours").add("member_day_call_back", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/calls']",
            content: "Open Our calls",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_callplan_callback .o_callplan_callback_submit",
            content: "The call-back form is offered",
        },
        {
            trigger: "body:not(:has(.o_callplan_callback_done))",
            content: "Nothing requested yet",
        },
        {
            trigger: ".o_callplan_callback input[name=topic]",
            content: "Say what it is about",
            run: "edit Our next order of desks",
        },
        {
            trigger: ".o_callplan_callback_submit",
            content: "Ask for a call back",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_callplan_callback_done",
            content: "The request is confirmed",
        },
    ],
});
