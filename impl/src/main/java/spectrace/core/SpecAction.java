package spectrace.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method as the implementation of one action of the protocol's TLA+ spec.
 *
 * <p>The build weaves trace emission into every such method: when it returns normally, and
 * tracing is on, the node's tracer records one event naming {@link #value()}, the method's
 * {@link SpecParam} arguments, the message being handled, the messages sent, and the node's
 * {@link SpecVar} fields after the action.
 *
 * <p>Rules: call an action method only when its spec action is enabled (guard in the
 * dispatcher, not inside the method); never call one action method from another.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SpecAction {
  /** The spec action's name, e.g. {@code TMRcvPrepared}. */
  String value();

  /** The action parameter bound to the node's own id (e.g. {@code rm}), or "" for none. */
  String self() default "";
}
