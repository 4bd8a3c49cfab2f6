package eu.ess.justbinit.controller.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link of README.md and docs/*.md leads to a file or folder of the checkout. */
class DocumentationLinksTest {
  /** [text](target) and ![alt](target), the target up to a space or the closing parenthesis. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(<?([^)\\s>]+)>?[^)]*\\)");

  private static final Pattern HTML_LINK = Pattern.compile("(?:href|src)=\"([^\"]+)\"");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path docs = CommandsDocTest.docs();
    List<Path> pages = new ArrayList<>();
    pages.add(docs.getParent().resolve("README.md"));
    try (Stream<Path> files = Files.list(docs)) {
      files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      String text = Files.readString(page);
      for (String target : targets(text)) {
        if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("#")) {
          continue;
        }
        String path = URLDecoder.decode(target.replaceFirst("#.*", ""), StandardCharsets.UTF_8);
        checked++;
        if (!Files.exists(page.getParent().resolve(path))) {
          broken.add(docs.getParent().relativize(page) + ": " + target);
        }
      }
    }
    assertEquals(List.of(), broken, "links that lead nowhere");
    assertTrue(checked > 10, "the pages' links were found: " + checked);
  }

  @Test
  void findsTheLinksOfMarkdownAndHtml() {
    assertEquals(
        List.of("a.md", "docs/b.png", "c.md#part", "https://x.org", "d.png"),
        targets(
            "see [a](a.md), ![b](docs/b.png \"title\") and [c](c.md#part), [x](https://x.org)"
                + " <img src=\"d.png\">"));
  }

  private static List<String> targets(String text) {
    List<String> targets = new ArrayList<>();
    String prose = text.replaceAll("(?s)```.*?```", "");
    for (Pattern pattern : List.of(LINK, HTML_LINK)) {
      Matcher matcher = pattern.matcher(prose);
      while (matcher.find()) {
        targets.add(matcher.group(1));
      }
    }
    return targets;
  }
}
