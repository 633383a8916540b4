// Starts Blazor with the circuit on one WebSocket and no negotiation request first: with several replicas behind a
// load balancer, a negotiation answered by one replica and a connection made to another would fail without sticky
// sessions. One connection is always one replica.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withUrl("_blazor", { skipNegotiation: true, transport: 1 /* WebSockets */ }),
    },
});
