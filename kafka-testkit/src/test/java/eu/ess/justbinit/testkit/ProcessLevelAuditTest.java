package eu.ess.justbinit.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The audit finds this module's broker and container tests and reads their tags. */
class ProcessLevelAuditTest {
  @Test
  void findsTheTestsThatStartABrokerOrAContainerAndNoOthers() {
    Map<String, String> starting = ProcessLevelAudit.starting(ProcessLevelAuditTest.class);
    assertTrue(starting.containsKey(EmbeddedKafkaTest.class.getName()), starting.toString());
    assertTrue(starting.containsKey(BrokerOrphanTest.class.getName()), starting.toString());
    assertTrue(
        starting.get(TestcontainersKafkaTest.class.getName()).startsWith("org/testcontainers/"));
    assertFalse(starting.containsKey(EventuallyTest.class.getName()), starting.toString());
    assertFalse(starting.containsKey(ProcessLevelAuditTest.class.getName()), starting.toString());
  }

  @Test
  void readsTheTagFromTheAnnotationItsMetaAnnotationAndSuperclasses() {
    assertTrue(ProcessLevelAudit.isTagged(EmbeddedKafkaTest.class));
    assertTrue(ProcessLevelAudit.isTagged(RawTag.class));
    assertTrue(ProcessLevelAudit.isTagged(Inherits.class));
    assertFalse(ProcessLevelAudit.isTagged(EventuallyTest.class));
    assertFalse(ProcessLevelAudit.isTagged(OtherTag.class));
  }

  @Tag(ProcessLevel.TAG)
  private static class RawTag {}

  private static final class Inherits extends RawTag {}

  @Tag("other")
  private static final class OtherTag {}
}
