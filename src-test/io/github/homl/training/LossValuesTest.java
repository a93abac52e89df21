package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Losses by name: lookup, order, Keras's printed piece, and the means Fit keeps. */
class LossValuesTest {

  private static final LossValues GAN = LossValues.of(List.of("d_loss", "g_loss"), 0.25f, 1.5f);

  @Test
  void aLossIsFoundByItsNameAndTheLossesIterateInOrder() {
    assertEquals(1.5, GAN.get("g_loss"));
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Double> loss : GAN) {
      names.add(loss.getKey());
    }
    assertEquals(List.of("d_loss", "g_loss"), names);
  }

  @Test
  void anUnknownNameFailsListingTheLossesThereAre() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GAN.get("loss"));

    assertTrue(e.getMessage().contains("'loss'"), e.getMessage());
    assertTrue(e.getMessage().contains("[d_loss, g_loss]"), e.getMessage());
  }

  @Test
  void printsAsTheLossesOfKerassProgressLine() {
    LossValues logs = GAN.followedBy(LossValues.of("d_loss", 0.123456).prefixed("val_"));

    assertEquals("d_loss: 0.2500 - g_loss: 1.5000 - val_d_loss: 0.1235", logs.toString());
    assertEquals("", LossValues.NONE.toString());
  }

  @Test
  void namesMustBeDistinctAndAsManyAsTheValues() {
    assertThrows(IllegalArgumentException.class, () -> GAN.followedBy(GAN));
    assertThrows(
        IllegalArgumentException.class, () -> new LossValues(List.of("loss"), List.of(1.0, 2.0)));
  }

  @Test
  void meansWeighEachBatchByItsSize() {
    LossValues.Means means = new LossValues.Means();
    means.add(LossValues.of("loss", 1.0), 3, "trainStep");
    means.add(LossValues.of("loss", 3.0), 1, "trainStep");

    assertEquals(1.5, means.means().get("loss"), 1e-12); // (3 × 1 + 1 × 3) / 4
  }
}
