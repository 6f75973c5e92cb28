package spectrace.core;

/** Receives a node's spec variables, from the code the build generates for {@link SpecVar} fields. */
public interface VarSink {

  /** The whole spec variable {@code name} has value {@code value}. */
  void whole(String name, Object value);

  /** This node's entry of the spec variable {@code name} (a function of node ids) is {@code value}. */
  void indexed(String name, Object value);
}
