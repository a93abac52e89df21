package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history's CSV, as checkpoints and figures keep it. */
class HistoryTest {

  @Test
  void writeCsvWritesAHeaderAndOneRowPerEpochAndNoTempFile(@TempDir Path dir) throws IOException {
    History history = new History();
    history.add(new History.Epoch(1, 0.5, 0.25, 1.5, 4));
    history.add(new History.Epoch(2, 0.125, Double.NaN, 0.75, 4));
    Path file = dir.resolve("logs").resolve("history.csv");

    history.writeCsv(file);

    assertEquals(
        List.of(
            "epoch,loss,val_loss,seconds,steps",
            "1,0.500000,0.250000,1.500,4",
            "2,0.125000,NaN,0.750,4"),
        Files.readAllLines(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void writeCsvReplacesAnExistingFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, "old content\nmore\nand more\n");
    History history = new History();
    history.add(new History.Epoch(1, 1, 2, 3, 4));

    history.writeCsv(file);

    assertEquals(2, Files.readAllLines(file).size());
  }

  @Test
  void aGanHistoryRoundTripsWithItsFourLogs(@TempDir Path dir) throws IOException {
    History history = new History();
    history.add(new History.Epoch(1, Map.of("d_loss", 0.5, "g_loss", 1.5), 2.0, 10));
    Path file = history.writeCsv(dir.resolve("history.csv"));

    History read = History.readCsv(file);

    assertEquals(history.names(), read.names());
    assertArrayEquals(new double[] {0.5}, read.column("d_loss"));
    assertArrayEquals(new double[] {1.5}, read.column("g_loss"));
  }
}
