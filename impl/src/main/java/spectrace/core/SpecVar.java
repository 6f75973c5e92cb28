package spectrace.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field as holding a variable of the protocol's TLA+ spec, under the same name.
 *
 * <p>A variable that the spec keeps per node, as a function of the node's id (Raft's
 * {@code currentTerm[i]}, two-phase commit's {@code rmState[rm]}), is {@link #indexed()}:
 * the field holds this node's entry, and the trace logs it as {@code {"<node>": value}}.
 * Otherwise the field holds the whole variable. Declare these fields in the concrete node
 * class; the build generates the code that reads them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface SpecVar {
  /** The spec variable's name. */
  String value();

  /** True when the spec variable is a function of node ids and the field holds this node's entry. */
  boolean indexed() default false;
}
