package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench table: warm-up excluded, Keras TSV read, Java/Keras time ratio. */
class BenchCommandTest {

  @TempDir Path tmp;

  @Test
  void rateIsTheMedianAfterTheWarmUpHalfOfTheEpochs() {
    History history = new History();
    history.add(new History.Epoch(1, 0.05, 0.04, 100.0, 430)); // warm-up: ignored
    history.add(new History.Epoch(2, 0.05, 0.04, 50.0, 430)); // warm-up too: 2 of 5 epochs
    history.add(new History.Epoch(3, 0.04, 0.035, 2.0, 430));
    history.add(new History.Epoch(4, 0.03, 0.031, 4.0, 430));
    history.add(new History.Epoch(5, 0.03, 0.031, 1.0, 430));
    BenchCommand.Row row = BenchCommand.row("variational_ae", history);
    assertEquals(215.0, row.stepsPerSecond(), 1e-9);
    assertEquals(0.03, row.loss(), 1e-12);
  }

  @Test
  void aGansLossIsItsGenerators() {
    History history = new History();
    for (int epoch = 1; epoch <= 2; epoch++) {
      history.add(
          new History.Epoch(
              epoch, Map.of("d_loss", 0.6, "g_loss", 0.9, "val_g_loss", 1.4), 10.0, 100));
    }
    BenchCommand.Row row = BenchCommand.row("dcgan", history);
    assertEquals(10.0, row.stepsPerSecond(), 1e-9);
    assertEquals(0.9, row.loss(), 1e-12);
    assertEquals(1.4, row.valLoss(), 1e-12);
  }

  @Test
  void tableShowsBothKerasColumnsAndTheRatioToTheFasterOne() throws IOException {
    Path tsv =
        Files.writeString(
            tmp.resolve("bench_keras.tsv"),
            "model\tbatch_size\tsteps_per_epoch\tsteps_per_second\tloss\tval_loss\n"
                + "variational_ae\t128\t430\t100.000\t0.03500\t0.03400\n"
                + "gan\t32\t1718\t50.000\t1.20000\tnan\n"
                + "gan_compiled\t32\t1718\t80.000\t1.10000\tnan\n"
                + "sampling\t32\t50\t7.000\tnan\tnan\n");
    Map<String, BenchCommand.Row> keras = BenchCommand.readKeras(tsv);
    String table =
        BenchCommand.table(
            Map.of(
                "variational_ae", new BenchCommand.Row("variational_ae", 430, 200.0, 0.034, 0.033),
                "gan_generator", new BenchCommand.Row("gan_generator", 1718, 40.0, 1.1, 1.0)),
            keras);
    // fit is compiled already: the same rate in both Keras columns
    assertTrue(
        table.contains(
            "| variational_ae | 430 | 200.0 | 100.0 | 100.0 | **0.50** | 0.0340 | 0.0350 |"),
        table);
    // the GAN: notebook loop 50/s, compiled 80/s; Java 40/s takes 2.00 times the compiled time
    assertTrue(
        table.contains(
            "| gan_generator | 1718 | 40.0 | 50.0 | 80.0 | **2.00** | 1.1000 | 1.2000 |"),
        table);
    assertTrue(table.contains("| sampling | 50 | – | 7.0 | – | – | – | – |"), table);
    assertTrue(!table.contains("| gan_compiled |"), table);
  }
}
