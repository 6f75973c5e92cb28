package spectrace.protocols.broadcast.fifo;

/** The workload's request to a process: broadcast your next message. */
public record BroadcastRequest() {}
