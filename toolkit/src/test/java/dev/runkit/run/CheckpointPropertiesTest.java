package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.data.LabeledData;
import dev.runkit.data.Ratio;
import dev.runkit.data.SplitData;
import dev.runkit.optim.Optimizers;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional model-properties section of a checkpoint (format version 2), and files of version 1
 * written before it: {@code checkpoints/v1-iris-mlp-adam.rkc} was written by RunKit at commit
 * 2c2e1a8 (an MLP 4-8-3 on iris, Adam, 20 iterations, seed 42, batches of 16).
 */
class CheckpointPropertiesTest {

  @TempDir Path dir;

  private static Path v1() {
    try {
      return Path.of(
          CheckpointPropertiesTest.class.getResource("/checkpoints/v1-iris-mlp-adam.rkc").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int version(Path file) throws Exception {
    return ByteBuffer.wrap(Files.readAllBytes(file)).getInt("RUNKIT-CHECKPOINT".length());
  }

  @Test
  void read_versionOneFile_readsWithNoProperties() throws Exception {
    assertThat(version(v1())).isEqualTo(1);
    Checkpoint c = Checkpoint.read(v1());
    assertThat(c.iteration()).isEqualTo(20);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.batchSize()).isEqualTo(16);
    assertThat(c.optimizerType()).isEqualTo("Adam");
    assertThat(c.parameters()).hasSize(4);
    assertThat(c.history()).isNotEmpty();
    assertThat(c.properties()).isEmpty();
  }

  @Test
  void fineTune_fromVersionOneFile_trains() {
    SplitData iris =
        SplitData.classification("iris", LabeledData.iris(), Ratio.of(0.8, 0.2, 0), 42);
    RunResult r =
        Runner.with(Fixtures.mlp(8, 3))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(iris, 16)
            .optimizer(Optimizers.adam().lr(0.01))
            .iterations(2)
            .fineTune(v1(), true)
            .quiet()
            .fit();
    try {
      assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
    } finally {
      r.model().close();
    }
  }

  @Test
  void write_properties_readBackAsVersionTwo() throws Exception {
    Checkpoint c = Checkpoint.read(v1());
    Map<String, String> properties =
        Map.of(
            "runkit.data.task", "classification",
            "runkit.data.classes", "[\"high\",\"low\",\"mid\"]",
            "runkit.data.normalizer.mean", "[5.8,3.05,30.1,1.2]");
    Checkpoint withProperties =
        new Checkpoint(
            c.iteration(),
            c.elapsed(),
            c.seed(),
            c.batchSize(),
            c.epoch(),
            c.batchInEpoch(),
            c.parameters(),
            c.optimizerType(),
            c.optimizer(),
            c.scalars(),
            c.meters(),
            c.callbacks(),
            c.history(),
            properties);
    Path file = dir.resolve("v2.rkc");
    withProperties.write(file);
    assertThat(version(file)).isEqualTo(2);
    Checkpoint back = Checkpoint.read(file);
    assertThat(back.properties()).isEqualTo(properties);
    assertThat(back.history()).isEqualTo(c.history());
    assertThat(back.iteration()).isEqualTo(c.iteration());
    // without properties the section is there, empty
    Path empty = dir.resolve("empty.rkc");
    c.write(empty);
    assertThat(version(empty)).isEqualTo(2);
    assertThat(Checkpoint.read(empty).properties()).isEmpty();
  }

  @Test
  void read_newerFormat_saysWhichVersionsAreRead() throws Exception {
    byte[] bytes = Files.readAllBytes(v1());
    ByteBuffer.wrap(bytes).putInt("RUNKIT-CHECKPOINT".length(), 3);
    Path file = Files.write(dir.resolve("v3.rkc"), bytes);
    assertThatThrownBy(() -> Checkpoint.read(file))
        .hasMessage("checkpoint " + file + " has format version 3; this RunKit reads 1 to 2");
  }
}
