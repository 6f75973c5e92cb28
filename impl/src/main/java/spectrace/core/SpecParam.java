package spectrace.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a parameter of a {@link SpecAction} method as the spec action's parameter of this name. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface SpecParam {
  /** The spec action's parameter name, e.g. {@code rm}. */
  String value();
}
