package spectrace.protocols.broadcast.causal;

/** The workload's request to a process: broadcast your next message. */
public record BroadcastRequest() {}
