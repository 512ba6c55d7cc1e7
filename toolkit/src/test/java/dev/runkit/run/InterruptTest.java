package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import dev.runkit.RunResult;
import dev.runkit.Runner;
import dev.runkit.optim.Optimizers;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Thread.interrupt()} of the thread running {@code fit()} (what IJava and JJava do on Kernel
 * ▸ Interrupt) is a cooperative stop: the run ends after the iteration in progress, with its
 * checkpoint, and resumes exactly.
 */
class InterruptTest {

  @TempDir Path uninterrupted;
  @TempDir Path interrupted;
  @RegisterExtension final DigitsSplit digits = new DigitsSplit(32);

  private Runner run(Path dir, Callback... callbacks) {
    return Runner.with(Fixtures.mlp(32, 10))
        .loss(Loss.softmaxCrossEntropyLoss())
        .data(digits.train(), digits.validation())
        .optimizer(Optimizers.adamW().lr(3e-3))
        .metrics(Metrics.accuracy())
        .iterations(60)
        .validateEvery(20)
        .checkpoints(Checkpoints.to(dir).every(20))
        .resume()
        .callbacks(callbacks)
        .quiet();
  }

  /** Interrupts the training thread while iteration {@code at} runs. */
  private static Callback interruptDuring(long at) {
    return new Callback() {
      @Override
      public void onIterationStart(RunContext context) {
        if (context.iteration() == at - 1) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  @Test
  void interrupt_stopsAfterTheIterationInProgress_andResumesExactly() {
    RunResult whole = run(uninterrupted).fit();
    RunResult stopped = run(interrupted, interruptDuring(26)).fit();
    // consumed: the result says it, and code after fit() (a notebook's next output) runs on
    assertThat(Thread.interrupted()).isFalse();

    assertThat(stopped.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(stopped.iterations()).isEqualTo(26);
    assertThat(stopped.message())
        .isEqualTo(
            "interrupted after iteration 26; Runner.lastResult() gives this result, resume()"
                + " continues the run");
    assertThat(interrupted.resolve("ckpt-000000026.rkc")).exists();
    assertThat(Runner.lastResult()).isSameAs(stopped);
    stopped.model().close();

    RunResult resumed = run(interrupted).fit();
    assertThat(resumed.stopReason()).isEqualTo(StopReason.COMPLETED);
    ResumeTest.assertEndsAlike(whole, resumed);
    whole.model().close();
    resumed.model().close();
  }

  @Test
  void secondInterruptWhileStopping_isHarmless() {
    // the report read while the run stops comes before its last checkpoint is written: a second
    // interrupt there closed the checkpoint's file channel and failed the run
    ProgressListener again =
        new ProgressListener() {
          @Override
          public void onProgress(Progress progress) {
            if (progress.iteration() == 7) {
              Thread.currentThread().interrupt();
            }
          }
        };
    RunResult stopped =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train(), digits.validation())
            .optimizer(Optimizers.adamW().lr(3e-3))
            .iterations(60)
            .logEvery(1)
            .checkpoints(Checkpoints.to(interrupted).every(20))
            .callbacks(interruptDuring(7))
            .progress(again)
            .fit();
    assertThat(Thread.interrupted()).isFalse();
    assertThat(stopped.error()).isEmpty();
    assertThat(stopped.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(stopped.iterations()).isEqualTo(7);
    assertThat(Checkpoint.read(interrupted.resolve("ckpt-000000007.rkc")).iteration()).isEqualTo(7);
    stopped.model().close();
  }

  @Test
  void result_fromAnotherThreadWhileTheFitRuns_waitsForIt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Callback gate =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            if (context.iteration() == 3) {
              running.countDown();
              // holds the iteration until released, whatever interrupts come meanwhile
              boolean interrupted = false;
              while (release.getCount() > 0) {
                try {
                  release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  interrupted = true;
                }
              }
              if (interrupted) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    Runner runner = run(interrupted, gate);
    AtomicReference<Thread> trainer = new AtomicReference<>();
    CompletableFuture<RunResult> fit =
        CompletableFuture.supplyAsync(
            () -> {
              trainer.set(Thread.currentThread());
              return runner.fit();
            });
    assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
    // as IJava does on Kernel > Interrupt: the snippet's Future is cancelled with an interrupt
    trainer.get().interrupt();
    AtomicBoolean waited = new AtomicBoolean();
    CompletableFuture<RunResult> taken =
        CompletableFuture.supplyAsync(
            () -> {
              RunResult r = runner.result();
              waited.set(true);
              return r;
            });
    Thread.sleep(300);
    assertThat(waited).isFalse();
    release.countDown();
    RunResult r = taken.get(60, TimeUnit.SECONDS);
    assertThat(r).isSameAs(fit.get(60, TimeUnit.SECONDS));
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(r.iterations()).isEqualTo(3);
    r.model().close();
  }

  @Test
  void lastResult_insideTheRunningFit_saysSoInsteadOfWaitingForItself() {
    Callback reads =
        new Callback() {
          @Override
          public void onIterationEnd(RunContext context) {
            Runner.lastResult();
          }
        };
    RunResult r = run(interrupted, reads).fit();
    // it waited for itself: the notebook cell hung
    assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
    assertThat(r.message())
        .contains("the result of a fit still running cannot be read from inside a fit");
    r.model().close();
  }

  @Test
  void interrupt_duringTheLrFinder_stopsItWithThePointsSoFar() {
    Runner finder =
        Runner.with(Fixtures.mlp(32, 10))
            .loss(Loss.softmaxCrossEntropyLoss())
            .data(digits.train())
            .optimizer(Optimizers.sgd().lr(0.01).momentum(0.9));
    // the finder takes no callbacks: the interrupt is there before its first iteration ends
    Thread.currentThread().interrupt();
    LrFinderResult f = finder.lrFinder(LrFinder.range(1e-5, 1).steps(100));
    assertThat(Thread.interrupted()).isFalse();
    assertThat(f.size()).isEqualTo(1);
    assertThat(f.message()).startsWith("INTERRUPTED: interrupted after iteration 1");
  }
}
