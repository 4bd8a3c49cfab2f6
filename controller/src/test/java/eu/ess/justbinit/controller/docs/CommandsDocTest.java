package eu.ess.justbinit.controller.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import eu.ess.justbinit.controller.command.Command;
import eu.ess.justbinit.controller.command.CommandParser;
import eu.ess.justbinit.controller.command.ParseResult;
import eu.ess.justbinit.controller.command.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every command example of docs/commands.md, given to the service's own parser: each JSON block is
 * followed by the answer it gets there ({@code Answer: ACK}, or {@code Answer: ERR `message`}).
 */
class CommandsDocTest {
  private static final Pattern ANSWER = Pattern.compile("Answer: (ACK|ERR `(.*)`)");

  /** One JSON block of the page and the answer written under it. */
  record Example(int line, String json, String answer) {}

  @TestFactory
  Stream<DynamicTest> everyExampleGetsTheAnswerThePageGives() throws IOException {
    CommandParser parser = new CommandParser(Clock.systemUTC());
    return examples().stream()
        .map(
            example ->
                DynamicTest.dynamicTest(
                    "commands.md:" + example.line(),
                    () -> {
                      ParseResult result =
                          parser.parse(example.json().getBytes(StandardCharsets.UTF_8));
                      Matcher answer = ANSWER.matcher(example.answer());
                      if (!answer.matches()) {
                        fail("line " + example.line() + ": no answer under the example");
                      }
                      if (answer.group(1).equals("ACK")) {
                        assertInstanceOf(Command.class, result, result.toString());
                      } else {
                        Rejection rejection = assertInstanceOf(Rejection.class, result);
                        assertEquals(answer.group(2), rejection.message());
                      }
                    }));
  }

  @Test
  void thePageHoldsExamplesOfEveryCommandAndOfRefusals() throws IOException {
    List<Example> examples = examples();
    for (String command : List.of("\"config\"", "\"stop\"", "\"reset_counts\"")) {
      assertFalse(
          examples.stream().noneMatch(e -> e.json().contains(command)), command + " example");
    }
    assertFalse(examples.stream().noneMatch(e -> e.answer().startsWith("Answer: ERR")));
  }

  static List<Example> examples() throws IOException {
    List<String> lines = Files.readAllLines(docs().resolve("commands.md"));
    List<Example> examples = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      if (!lines.get(i).strip().equals("```json")) {
        i++;
        continue;
      }
      int start = i + 1;
      StringBuilder json = new StringBuilder();
      i = start;
      while (i < lines.size() && !lines.get(i).strip().equals("```")) {
        json.append(lines.get(i)).append('\n');
        i++;
      }
      String answer = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
      examples.add(new Example(start, json.toString(), answer));
      i++;
    }
    return examples;
  }

  /** The project's docs/ folder, as the build names it. */
  static Path docs() {
    return Path.of(System.getProperty("jbi.docs.dir", "../docs"));
  }
}
