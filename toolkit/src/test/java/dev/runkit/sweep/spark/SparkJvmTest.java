package dev.runkit.sweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The Java 17 flags RunKit gives Spark's JVMs are Spark's own, and the test JVMs have them. */
class SparkJvmTest {

  @Test
  void moduleOptions_areThoseOfSparksLauncher() {
    assertThat(SparkJvm.moduleOptions())
        .isEqualTo(List.of(JavaModuleOptions.defaultModuleOptionArray()));
  }

  @Test
  void testJvm_startedWithThem_missesNone() {
    // the build's spark.jvm.options (surefire's and failsafe's argLine) is the same list
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .containsAll(SparkJvm.moduleOptions());
    assertThat(SparkJvm.missingModuleOptions()).isEmpty();
  }
}
