package spectrace.core;

/**
 * A protocol message. Each protocol declares a {@code sealed interface} extending this one
 * whose members are records named like the spec's message types; the trace writes a message
 * as a record with {@code type} set to the record's simple name, then its components.
 */
public interface Message {}
