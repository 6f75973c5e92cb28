package spectrace.core;

/**
 * A Java value with a TLA+ counterpart other than its Java name: typically an enum whose
 * constants are the spec's strings ({@code RMState.PREPARED} is {@code "prepared"}).
 */
public interface SpecValue {
  /** The value as the spec writes it: a string, a number, a boolean. */
  Object specValue();
}
