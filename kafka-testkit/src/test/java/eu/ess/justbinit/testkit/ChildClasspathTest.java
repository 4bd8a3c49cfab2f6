package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChildClasspathTest {
  @Test
  void dropsEverySlf4jBindingButLog4j2s() {
    String classpath =
        String.join(
            ":",
            "/repo/kafka_2.13-4.1.1.jar",
            "/repo/slf4j-jdk14-1.7.36.jar",
            "/repo/log4j-slf4j-impl-2.24.3.jar",
            "/repo/logback-classic-1.5.0.jar",
            "/repo/slf4j-api-1.7.36.jar",
            "/work/worker/target/classes");
    assertEquals(
        "/repo/kafka_2.13-4.1.1.jar:/repo/log4j-slf4j-impl-2.24.3.jar"
            + ":/repo/slf4j-api-1.7.36.jar:/work/worker/target/classes",
        ChildClasspath.forBroker(classpath));
  }

  @Test
  void refusesAClasspathWithoutTheLog4j2Binding() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ChildClasspath.forBroker(
                    "/repo/kafka_2.13-4.1.1.jar:/repo/slf4j-jdk14-1.7.36.jar"));
    assertEquals(
        "log4j-slf4j-impl is not on the classpath: the broker would log nowhere", e.getMessage());
  }
}
