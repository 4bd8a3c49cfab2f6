package eu.ess.justbinit.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftwareVersionTest {
  @Test
  void theBuildFillsInTheVersionAndTheCommit() {
    assertTrue(
        SoftwareVersion.version().matches("\\d+\\.\\d+\\.\\d+.*"), SoftwareVersion.version());
    // The tests run in a git checkout, or in a copy without history: then 'unknown'.
    String commit = SoftwareVersion.commit();
    assertTrue(commit.matches("[0-9a-f]{7,40}|unknown"), commit);
  }

  @Test
  void aPropertyTheBuildDidNotFillInIsUnknown() {
    assertEquals("unknown", SoftwareVersion.known("${git.commit.id.abbrev}"));
    assertEquals("unknown", SoftwareVersion.known(null));
    assertEquals("unknown", SoftwareVersion.known(" "));
    assertEquals("0123abcd", SoftwareVersion.known("0123abcd"));
  }
}
