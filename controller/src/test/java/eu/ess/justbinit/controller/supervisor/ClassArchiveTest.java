package eu.ess.justbinit.controller.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
  @TempDir Path temp;
  private Path cache;
  private Path jarA;
  private Path jarB;
  private String classpath;

  @BeforeEach
  void jars() throws IOException {
    cache = temp.resolve("cache");
    jarA = Files.writeString(temp.resolve("a.jar"), "a");
    jarB = Files.writeString(temp.resolve("b.jar"), "bb");
    classpath = jarA + File.pathSeparator + jarB;
  }

  private ClassArchive archive(List<String> options) {
    return ClassArchive.of(cache, "17.0.15", options, classpath).orElseThrow();
  }

  @Test
  void theFirstWorkerWritesTheArchiveAtExitAndTheNextOnesMapIt() throws IOException {
    ClassArchive archive = archive(List.of("-Xmx64m"));

    ClassArchive.Launch first = archive.nextLaunch("spare-1.log");
    Path writes = first.writes().orElseThrow();
    assertEquals(List.of("-XX:ArchiveClassesAtExit=" + writes), first.options());
    assertEquals(List.of(), archive.nextLaunch("worker-1-0.log").options(), "one writer at once");

    Files.writeString(writes, "archived classes");
    archive.exited(writes);

    assertFalse(Files.exists(writes));
    assertEquals("archived classes", Files.readString(archive.file()));
    ClassArchive.Launch later = archive.nextLaunch("spare-2.log");
    assertEquals(List.of("-XX:SharedArchiveFile=" + archive.file()), later.options());
    assertEquals(Optional.empty(), later.writes());
  }

  @Test
  void aWorkerThatLeftNoArchiveLetsTheNextOneWriteIt() throws IOException {
    ClassArchive archive = archive(List.of());
    Path killed = archive.nextLaunch("spare-1.log").writes().orElseThrow();

    archive.exited(killed);

    assertFalse(Files.exists(archive.file()));
    Path next = archive.nextLaunch("spare-2.log").writes().orElseThrow();
    assertNotEquals(killed, next);
  }

  @Test
  void aChangedJarOrOptionMakesAnotherArchiveAndTheStaleOneGoes() throws IOException {
    ClassArchive before = archive(List.of("-Xmx64m"));
    Files.writeString(before.file(), "archived classes");

    Files.writeString(jarB, "rebuilt");
    Files.setLastModifiedTime(jarB, FileTime.fromMillis(0));
    ClassArchive rebuilt = archive(List.of("-Xmx64m"));

    assertNotEquals(before.file(), rebuilt.file());
    assertFalse(Files.exists(before.file()), "the stale archive is removed");
    assertNotEquals(rebuilt.file(), archive(List.of("-Xmx32m")).file());
  }

  @Test
  void noArchiveForADirectoryOnTheClasspathOrWhenTheOptionsShareClassesThemselves()
      throws IOException {
    Path classes = Files.createDirectories(temp.resolve("classes"));
    assertTrue(
        ClassArchive.of(cache, "17", List.of(), classes + File.pathSeparator + jarA).isEmpty());
    assertFalse(Files.exists(cache), "nothing is created for it");
    for (String option :
        List.of("-Xshare:off", "-XX:SharedArchiveFile=x.jsa", "-XX:ArchiveClassesAtExit=x.jsa")) {
      assertTrue(ClassArchive.of(cache, "17", List.of(option), classpath).isEmpty(), option);
    }
  }
}
