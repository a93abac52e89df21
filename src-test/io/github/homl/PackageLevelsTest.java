package io.github.homl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout of the packages, from the code's own import lines: each package stands on a level, and
 * every import between packages goes down a level or more (none runs back up, so there is no
 * cycle). The configuration of a run ({@code RunConfig} and the classes that parse it, in {@code
 * config}) is imported only by the two packages above it, {@code chapter17} and {@code cli}. Prints
 * the levels and the arrows, so that the picture can be read from the test log ({@code mvn test
 * -Dtest=PackageLevelsTest}).
 */
class PackageLevelsTest {

  /** Top first: a package may import only packages on lower levels. */
  static final List<List<String>> LEVELS =
      List.of(
          List.of("cli"),
          List.of("chapter17", "stablediffusion"),
          List.of("config"),
          List.of("gan", "diffusion", "notebook"),
          List.of("evaluation"),
          List.of("saving"),
          List.of("training"),
          List.of("figures", "text"),
          List.of("layers", "data"));

  static final List<String> CONFIGURATION =
      List.of("RunConfig", "RunOptions", "TrainingOptions", "Variants");

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?io\\.github\\.homl\\.(\\w+)\\.(\\w+)", Pattern.MULTILINE);

  @Test
  void everyImportGoesDownALevel() throws IOException {
    Map<String, Integer> level = new TreeMap<>();
    for (int i = 0; i < LEVELS.size(); i++) {
      for (String pkg : LEVELS.get(i)) {
        level.put(pkg, LEVELS.size() - i); // the ground is level 1
      }
    }
    Map<String, TreeSet<String>> arrows = new TreeMap<>();
    List<String> upward = new ArrayList<>();
    List<String> configuration = new ArrayList<>();
    for (Path file : sources()) {
      String pkg = file.getParent().getFileName().toString();
      assertTrue(level.containsKey(pkg), "package " + pkg + " has no level in LEVELS");
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        String target = m.group(1);
        if (target.equals(pkg)) {
          continue;
        }
        assertTrue(level.containsKey(target), file + " imports unknown package " + target);
        arrows.computeIfAbsent(pkg, k -> new TreeSet<>()).add(target);
        if (level.get(target) >= level.get(pkg)) {
          upward.add(file + " -> " + target + "." + m.group(2));
        }
        if (CONFIGURATION.contains(m.group(2)) && level.get(pkg) < level.get("config")) {
          configuration.add(file + " imports " + m.group(2));
        }
      }
    }
    int count = 0;
    for (int i = 0; i < LEVELS.size(); i++) {
      for (String pkg : LEVELS.get(i)) {
        TreeSet<String> to = arrows.getOrDefault(pkg, new TreeSet<>());
        count += to.size();
        System.out.printf("level %d  %-16s -> %s%n", LEVELS.size() - i, pkg, to);
      }
    }
    System.out.printf("%d packages on %d levels, %d arrows%n", level.size(), LEVELS.size(), count);
    assertEquals(List.of(), upward, "imports that run back up");
    assertEquals(List.of(), configuration, "the run's configuration reaching below chapter17");
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("chapters", "io", "github", "homl"))) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
