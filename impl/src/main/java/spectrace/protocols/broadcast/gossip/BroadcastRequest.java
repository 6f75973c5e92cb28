package spectrace.protocols.broadcast.gossip;

/** The workload's request to a process: broadcast your next message. */
public record BroadcastRequest() {}
