package spectrace.protocols.broadcast.total;

/** The workload's request to a process: broadcast your next message. */
public record BroadcastRequest() {}
