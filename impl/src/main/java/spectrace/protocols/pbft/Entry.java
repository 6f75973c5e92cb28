package spectrace.protocols.pbft;

import spectrace.kv.Command;

/**
 * PBFT.tla's {@code [view |-> v, seq |-> n, req |-> q]}: request {@code req} at sequence number
 * {@code seq} in view {@code view}, the element of a replica's {@code pp} and of a
 * VIEW-CHANGE's P.
 */
public record Entry(int view, long seq, Command req) {}
