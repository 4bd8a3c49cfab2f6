package eu.ess.justbinit.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts a Kafka broker, a container or JVMs of its own: the slow tier,
 * tagged {@value #TAG}. {@code mvn -B test -DexcludedGroups=process} runs the fast specifications
 * without it; {@code mvn -B verify} runs both.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(ProcessLevel.TAG)
public @interface ProcessLevel {
  /** The JUnit tag of the process-level tier. */
  String TAG = "process";
}
