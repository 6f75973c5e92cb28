package spectrace.protocols.twophase;

/**
 * The workload's request to a resource manager: its part of the transaction is done, and it
 * can commit ({@code yes}) or must abort.
 */
public record Vote(boolean yes) {}
