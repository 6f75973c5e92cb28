package spectrace.protocols.broadcast.reliable;

/** The workload's request to a process: broadcast your next message. */
public record BroadcastRequest() {}
