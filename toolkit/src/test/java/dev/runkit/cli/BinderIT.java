package dev.runkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code binder/verify-postbuild.sh}: Binder's postBuild in a fresh user and HOME, then a
 * notebook executed with the kernel it installed. Needs root (the script makes a throwaway user)
 * and Debian's Jupyter; skipped otherwise. Runs in Maven's integration-test phase.
 */
class BinderIT {

  @TempDir Path tmp;

  @Test
  void postBuild_inAFreshUser_installsAKernelThatRunsTheQuickstart() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "binder/verify-postbuild.sh creates a throwaway user: run as root");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/jupyter")), "Debian's Jupyter is missing");
    Path root = Path.of(System.getProperty("runkit.notebooks")).getParent();
    Path script = root.resolve("binder/verify-postbuild.sh");
    assertThat(script).isExecutable();
    Path log = tmp.resolve("verify.log");
    Process p =
        new ProcessBuilder(script.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = p.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log);
    assertThat(finished).as("finished within 5 minutes:%n%s", text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text)
        .contains("kernel runkit: ", " 0 errors", "verify-postbuild: PASSED")
        .doesNotContain("FAILED");
  }
}
