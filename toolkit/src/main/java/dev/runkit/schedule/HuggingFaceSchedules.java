package dev.runkit.schedule;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;

/**
 * Registers the Hugging Face {@code lr_scheduler_type} families, with the parameter names of
 * transformers' {@code optimization.py} ({@code num_warmup_steps}, {@code num_training_steps},
 * {@code num_cycles}, ...); every one is a factor of the base learning rate, as upstream's {@code
 * LambdaLR}. {@code num_warmup_steps} defaults to 0, as {@code TrainingArguments.warmup_steps}.
 */
final class HuggingFaceSchedules {

  private HuggingFaceSchedules() {}

  /** Registers every Hugging Face family under its {@code lr_scheduler_type} name. */
  static void registerAll(Registry<ScheduleFactory> registry) {
    registry
        .register("constant", (p, baseLr) -> new ConstantWithWarmup(baseLr, 0))
        .register(
            "constant_with_warmup", (p, baseLr) -> new ConstantWithWarmup(baseLr, warmupSteps(p)))
        .register("linear", HuggingFaceSchedules::linear)
        .register("cosine", HuggingFaceSchedules::cosine)
        .register("cosine_with_restarts", HuggingFaceSchedules::cosineWithRestarts)
        .register("polynomial", HuggingFaceSchedules::polynomial)
        .register("inverse_sqrt", HuggingFaceSchedules::inverseSqrt)
        .register("cosine_with_min_lr", HuggingFaceSchedules::cosineWithMinLr)
        .register("cosine_warmup_with_min_lr", HuggingFaceSchedules::cosineWarmupWithMinLr)
        .register("warmup_stable_decay", HuggingFaceSchedules::warmupStableDecay);
  }

  /**
   * Registers the spellings users type for the Hugging Face names: transformers' function names
   * ({@code get_cosine_schedule_with_warmup}, with and without {@code get_}) and the {@code
   * _with_warmup} forms of the families that warm up ({@code cosine_with_warmup}); each takes the
   * family's parameters. Called once every family is registered ({@code reduce_lr_on_plateau} is
   * PyTorch's {@code ReduceLROnPlateau}, as in transformers).
   */
  static void registerAliases(Registry<ScheduleFactory> registry) {
    aliases(registry, "constant", "constant_schedule", "get_constant_schedule");
    aliases(
        registry,
        "constant_with_warmup",
        "constant_schedule_with_warmup",
        "get_constant_schedule_with_warmup");
    aliases(
        registry,
        "linear",
        "linear_with_warmup",
        "linear_schedule_with_warmup",
        "get_linear_schedule_with_warmup");
    aliases(
        registry,
        "cosine",
        "cosine_with_warmup",
        "cosine_schedule_with_warmup",
        "get_cosine_schedule_with_warmup");
    aliases(
        registry,
        "cosine_with_restarts",
        "cosine_with_hard_restarts",
        "cosine_with_hard_restarts_schedule_with_warmup",
        "get_cosine_with_hard_restarts_schedule_with_warmup");
    aliases(
        registry,
        "polynomial",
        "polynomial_with_warmup",
        "polynomial_decay",
        "polynomial_decay_schedule_with_warmup",
        "get_polynomial_decay_schedule_with_warmup");
    aliases(registry, "inverse_sqrt", "inverse_sqrt_schedule", "get_inverse_sqrt_schedule");
    aliases(
        registry,
        "cosine_with_min_lr",
        "cosine_with_min_lr_schedule_with_warmup",
        "get_cosine_with_min_lr_schedule_with_warmup");
    aliases(
        registry,
        "cosine_warmup_with_min_lr",
        "cosine_with_min_lr_schedule_with_warmup_lr_rate",
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate");
    aliases(registry, "warmup_stable_decay", "wsd", "wsd_schedule", "get_wsd_schedule");
    aliases(
        registry,
        "ReduceLROnPlateau",
        "reduce_lr_on_plateau",
        "reduce_on_plateau_schedule",
        "get_reduce_on_plateau_schedule");
  }

  private static void aliases(Registry<ScheduleFactory> registry, String name, String... aliases) {
    for (String alias : aliases) {
      registry.alias(alias, name);
    }
  }

  /** Builds {@code linear}. */
  static Schedule linear(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    return new LinearWithWarmup(baseLr, warmup, trainingSteps(p, warmup));
  }

  /** Builds {@code cosine}; also BasicTS {@code CosineWarmup}, with the same parameters. */
  static Schedule cosine(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long training = trainingSteps(p, warmup);
    return new CosineWithWarmup(baseLr, warmup, training, cycles(p), 0.0);
  }

  /**
   * Builds {@code cosine_with_restarts}; also BasicTS {@code CosineWarmupRestarts}, with the same
   * parameters.
   */
  static Schedule cosineWithRestarts(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long training = trainingSteps(p, warmup);
    long cycles = p.optionalLong("num_cycles", 1);
    p.check("num_cycles", cycles, cycles >= 1, ">= 1");
    return new CosineWithHardRestarts(baseLr, warmup, training, cycles);
  }

  private static Schedule polynomial(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long training = trainingSteps(p, warmup);
    // the decay divides by num_training_steps - num_warmup_steps
    p.check(
        "num_warmup_steps", warmup, warmup < training, "< num_training_steps (" + training + ")");
    double lrEnd = p.optionalDouble("lr_end", 1e-7);
    p.check("lr_end", lrEnd, lrEnd >= 0, ">= 0");
    p.check(
        "lr_end",
        lrEnd,
        lrEnd < baseLr,
        "< the base learning rate (" + baseLr + "); lr_end is absolute, not a factor");
    double power = p.optionalDouble("power", 1.0);
    p.check("power", power, power > 0, "> 0");
    return new PolynomialWithWarmup(baseLr, warmup, training, lrEnd, power);
  }

  private static Schedule inverseSqrt(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long timescale = p.optionalLong("timescale", warmup == 0 ? 10_000 : warmup);
    p.check("timescale", timescale, timescale >= 1, ">= 1");
    return new InverseSqrt(baseLr, warmup, timescale);
  }

  private static Schedule cosineWithMinLr(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long training = trainingSteps(p, warmup);
    return new CosineWithWarmup(baseLr, warmup, training, cycles(p), minLrRate(p, baseLr));
  }

  private static Schedule cosineWarmupWithMinLr(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long training = trainingSteps(p, warmup);
    double cycles = cycles(p);
    double minLrRate = minLrRate(p, baseLr);
    double warmupLrRate = p.optionalDouble("warmup_lr_rate", Double.NaN);
    if (!Double.isNaN(warmupLrRate)) {
      p.check("warmup_lr_rate", warmupLrRate, warmupLrRate >= 0 && warmupLrRate <= 1, "in [0, 1]");
    }
    return new CosineWarmupWithMinLr(baseLr, warmup, training, cycles, minLrRate, warmupLrRate);
  }

  private static Schedule warmupStableDecay(Params p, double baseLr) {
    long warmup = warmupSteps(p);
    long decay = p.requiredLong("num_decay_steps");
    p.check("num_decay_steps", decay, decay >= 0, ">= 0");
    boolean hasTraining = p.has("num_training_steps");
    boolean hasStable = p.has("num_stable_steps");
    if (!hasTraining && !hasStable) {
      throw new IllegalArgumentException(
          "Missing required parameter "
              + p.path("num_training_steps")
              + " or "
              + p.path("num_stable_steps")
              + ".");
    }
    long stable;
    if (hasStable) {
      stable = p.requiredLong("num_stable_steps");
      p.check("num_stable_steps", stable, stable >= 0, ">= 0");
    } else {
      long training = p.requiredLong("num_training_steps");
      stable = training - warmup - decay;
      p.check(
          "num_training_steps",
          training,
          stable >= 0,
          ">= num_warmup_steps + num_decay_steps (" + (warmup + decay) + ")");
    }
    if (hasTraining && hasStable) {
      // upstream warns and ignores num_training_steps; a contradiction is an error here
      long training = p.requiredLong("num_training_steps");
      p.check(
          "num_training_steps",
          training,
          training == warmup + stable + decay,
          "num_warmup_steps + num_stable_steps + num_decay_steps ("
              + (warmup + stable + decay)
              + ") when both are given");
    }
    String warmupType = p.optionalChoice("warmup_type", "linear", WarmupStableDecay.SHAPES);
    String decayType = p.optionalChoice("decay_type", "cosine", WarmupStableDecay.SHAPES);
    double minLrRatio = p.optionalDouble("min_lr_ratio", 0.0);
    p.check("min_lr_ratio", minLrRatio, minLrRatio >= 0 && minLrRatio <= 1, "in [0, 1]");
    return new WarmupStableDecay(
        baseLr, warmup, stable, decay, warmupType, decayType, minLrRatio, cycles(p));
  }

  private static long warmupSteps(Params p) {
    long warmup = p.optionalLong("num_warmup_steps", 0);
    p.check("num_warmup_steps", warmup, warmup >= 0, ">= 0");
    return warmup;
  }

  private static long trainingSteps(Params p, long warmup) {
    long training = p.requiredLong("num_training_steps");
    p.check("num_training_steps", training, training >= 1, ">= 1");
    p.check(
        "num_warmup_steps", warmup, warmup <= training, "<= num_training_steps (" + training + ")");
    return training;
  }

  private static double cycles(Params p) {
    double cycles = p.optionalDouble("num_cycles", 0.5);
    p.check("num_cycles", cycles, cycles > 0, "> 0");
    return cycles;
  }

  /** Reads exactly one of min_lr (absolute) and min_lr_rate (a factor), as upstream. */
  private static double minLrRate(Params p, double baseLr) {
    boolean hasMinLr = p.has("min_lr");
    boolean hasRate = p.has("min_lr_rate");
    if (hasMinLr == hasRate) {
      throw new IllegalArgumentException(
          (hasMinLr ? "Only one of " : "Missing required parameter: one of ")
              + p.path("min_lr")
              + " (absolute) and "
              + p.path("min_lr_rate")
              + " (a factor of the base learning rate)"
              + (hasMinLr ? " may be given, got both." : " must be given."));
    }
    if (hasRate) {
      double rate = p.optionalDouble("min_lr_rate", 0.0);
      p.check("min_lr_rate", rate, rate >= 0 && rate <= 1, "in [0, 1]");
      return rate;
    }
    double minLr = p.optionalDouble("min_lr", 0.0);
    p.check("min_lr", minLr, minLr >= 0 && minLr <= baseLr, "in [0, base lr " + baseLr + "]");
    return baseLr == 0 ? 0.0 : minLr / baseLr;
  }
}
