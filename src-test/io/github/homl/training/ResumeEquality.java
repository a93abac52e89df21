package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * The check that a resumed run equals an uninterrupted one: train 2 epochs in one go, then 1 epoch
 * and a resumed 1 in fresh workspaces, and compare every variable (weights, optimizer slots, step
 * counters) and the history.
 */
public final class ResumeEquality {

  /** Builds a model in {@code ws} and fits it to {@code epochs} with checkpoints in a folder. */
  public interface Run {
    /** Returns the history; {@code variables} collects what to compare. */
    History fit(Workspace ws, Checkpoints checkpoints, boolean resume, int epochs);
  }

  private ResumeEquality() {}

  /** Asserts that 2 epochs equal 1 + a resumed 1, every variable exactly. */
  public static void assertResumeEqualsUninterrupted(Path dir, Run run) {
    assertResumeEqualsUninterrupted(dir, run, 0f);
  }

  /**
   * Asserts that 2 epochs equal 1 + a resumed 1, every variable within {@code tolerance} (0:
   * exactly).
   */
  public static void assertResumeEqualsUninterrupted(Path dir, Run run, float tolerance) {
    Result whole = train(dir.resolve("whole"), run, false, 2);
    train(dir.resolve("parts"), run, false, 1);
    Result resumed = train(dir.resolve("parts"), run, true, 2);
    assertEquals(whole.values().size(), resumed.values().size(), "variable count");
    for (int i = 0; i < whole.values().size(); i++) {
      assertArrayEquals(
          whole.values().get(i),
          resumed.values().get(i),
          tolerance,
          "variable " + whole.names().get(i));
    }
    assertEquals(whole.history().size(), resumed.history().size());
    for (String name : whole.history().names()) {
      double[] expected = whole.history().column(name);
      double[] actual = resumed.history().column(name);
      for (int e = 0; e < expected.length; e++) {
        // the resumed run reads its first epochs back from history.csv (6 decimals), and the
        // kernels round differently from run to run (DiffusionStepTest: 1.2e-5 on a loss of 1.09)
        assertEquals(
            expected[e],
            actual[e],
            1e-4 * Math.max(1, Math.abs(expected[e])),
            "history column " + name + ", epoch " + (e + 1));
      }
    }
  }

  private record Result(History history, List<String> names, List<float[]> values) {}

  private static Result train(Path dir, Run run, boolean resume, int epochs) {
    try (Workspace ws = Workspace.create(42)) {
      History history = run.fit(ws, Checkpoints.in(dir), resume, epochs);
      SortedMap<String, float[]> variables = GraphVariables.read(ws);
      return new Result(history, List.copyOf(variables.keySet()), List.copyOf(variables.values()));
    }
  }
}
