// Starts Blazor with the circuit on one WebSocket and no negotiation request first: with several replicas behind a
// load balancer, a negotiation answered by one replica and a connection made to another would fail without sticky
// sessions. One connection is always one replica.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withUrl("_blazor", { skipNegotiation: true, transport: 1 /* WebSockets */ }),
    },
});

// Forms marked data-submit-once (a stock adjustment: its API has no idempotency key) disable their buttons once sent,
// so a double click sends one. After the event, not during it: the pressed button's name and value must still be sent.
document.addEventListener("submit", event => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-submit-once")) {
        setTimeout(() => form.querySelectorAll("button[type=submit]").forEach(button => button.disabled = true));
    }
});
