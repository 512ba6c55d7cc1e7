package dev.runkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.runkit.RunResult;
import dev.runkit.run.StopReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ENV.DEVICES and BasicTS's ENV.GPU_NUM choose the devices, checked before anything runs. */
class DevicesConfigTest {

  private static final int GPUS = Engine.getInstance().getGpuCount();
  private static final String AVAILABLE = available();

  @TempDir Path tmp;

  private static String available() {
    StringBuilder b = new StringBuilder("[cpu");
    for (int i = 0; i < GPUS; i++) {
      b.append(", gpu").append(i);
    }
    return b.append(']').toString();
  }

  private RunConfig withEnv(String env) {
    String yaml =
        "RUN_DIR: "
            + tmp.resolve("run")
            + "\nENV: "
            + env
            + "\nMODEL: {NAME: MLP, PARAM: {hidden: [16]}}\nDATA: {NAME: digits, BATCH_SIZE: 45}\n"
            + "TRAIN: {NUM_ITERATIONS: 6, OPTIM: {TYPE: SGD, PARAM: {lr: 0.1, momentum: 0.9}}}\n";
    return RunConfig.from((Map<?, ?>) ConfigFiles.parseValue(yaml), tmp, "t");
  }

  @Test
  void devices_cpuTwice_trainsOnTwoReplicas() {
    RunConfig c = withEnv("{SEED: 3, DEVICES: [cpu, cpu]}");
    assertThat(c.devices()).containsExactly(Device.cpu(), Device.cpu());
    assertThat(c.resolved().get("ENV"))
        .isEqualTo(Map.of("SEED", 3L, "DEVICES", List.of("cpu", "cpu")));
    try (NDManager manager = NDManager.newBaseManager()) {
      RunResult r = c.runner(manager).quiet().fit();
      assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.COMPLETED);
      assertThat(r.devices()).containsExactly(Device.cpu(), Device.cpu());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{DEVICES: auto}|0",
        "{DEVICES: cpu}|1",
        "{DEVICES: 'cpu,cpu'}|2",
        "{DEVICES: [CPU, cpu, cpu]}|3",
        "{GPU_NUM: 0}|1",
      })
  void devices_acceptedForms_parse(String env, int replicas) {
    RunConfig c = withEnv(env);
    assertThat(c.devices()).hasSize(replicas);
    assertThat(c.devices()).allMatch(Device.cpu()::equals);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{DEVICES: [cpu, gpx1]}|Unknown device \"gpx1\" at ENV.DEVICES[1]; expected one of [auto,"
            + " cpu, gpu, gpu<N>, gpu:<N>], available here: AVAILABLE.",
        "{DEVICES: cpus}|Unknown device \"cpus\" at ENV.DEVICES; expected one of [auto, cpu, gpu,"
            + " gpu<N>, gpu:<N>], available here: AVAILABLE. Did you mean \"cpu\"?",
        "{DEVICES: cpu1}|Unknown device \"cpu1\" at ENV.DEVICES; the CPU is one device, cpu (list"
            + " it twice for two replicas). Did you mean \"cpu\"?",
        "{DEVICES: [auto]}|ENV.DEVICES[0] is \"auto\", which stands alone: write ENV.DEVICES:"
            + " auto for the default, or list device names only",
        "{DEVICES: 'cpu,auto'}|ENV.DEVICES[1] is \"auto\", which stands alone: write ENV.DEVICES:"
            + " auto for the default, or list device names only",
        "{DEVICES: []}|ENV.DEVICES must name at least one device, got []; use auto for the"
            + " default",
        "{DEVICES: 3}|ENV.DEVICES must be auto, a device name or a list of them (e.g. [gpu0,"
            + " gpu1]), got 3 (an integer)",
        "{DEVICES: cpu, GPU_NUM: 1}|ENV gives both DEVICES and GPU_NUM; keep one (DEVICES: [gpu0,"
            + " gpu1] or GPU_NUM: 2)",
        "{DEVICE: cpu}|Unknown parameter \"DEVICE\" at ENV.DEVICE; accepted are [SEED, DEVICES,"
            + " GPU_NUM]. Did you mean \"DEVICES\"?",
      })
  void devices_badValue_throwsWithKeyPathAndWhatIsAllowed(String env, String message) {
    assertThatThrownBy(() -> withEnv(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message.replace("AVAILABLE", AVAILABLE));
  }

  @Test
  void devices_gpuBeyondWhatTheEngineSees_throwsNamingWhatExists() {
    assertThatThrownBy(() -> withEnv("{DEVICES: [cpu, gpu" + GPUS + "]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "ENV.DEVICES[1] asks for \"gpu"
                + GPUS
                + "\", but MXNet sees "
                + GPUS
                + (GPUS == 1 ? " GPU" : " GPUs")
                + "; available here: "
                + AVAILABLE);
  }

  @Test
  void gpuNum_moreThanTheEngineSees_throws() {
    assertThatThrownBy(() -> withEnv("{GPU_NUM: " + (GPUS + 1) + "}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ENV.GPU_NUM must be in [0, "
                + GPUS
                + "] (MXNet sees "
                + GPUS
                + (GPUS == 1 ? " GPU" : " GPUs")
                + "; 0 trains on the CPU), got "
                + (GPUS + 1));
  }
}
