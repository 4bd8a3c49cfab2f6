package eu.ess.justbinit.tools.kafka;

import eu.ess.justbinit.testkit.ProcessLevelAudit;
import org.junit.jupiter.api.Test;

/** Every test class of this module that starts a broker, a container or a JVM is @ProcessLevel. */
class ProcessLevelTagsTest {
  @Test
  void processLevelTestsAreTagged() {
    ProcessLevelAudit.assertTagged(ProcessLevelTagsTest.class);
  }
}
