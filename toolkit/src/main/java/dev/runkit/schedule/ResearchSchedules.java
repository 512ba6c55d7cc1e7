package dev.runkit.schedule;

import dev.runkit.registry.Params;
import dev.runkit.registry.Registry;
import java.util.List;

/**
 * Registers the BasicTS, EasyTorch and timm families and the warm-up decorator, with the parameter
 * names of their origin.
 */
final class ResearchSchedules {

  private ResearchSchedules() {}

  /** Registers the BasicTS, EasyTorch and timm families and {@code warmup}. */
  static void registerAll(Registry<ScheduleFactory> registry) {
    registry
        // BasicTS basicts/runners/optim/lr_schedulers.py: copies of the Hugging Face formulas
        .register("CosineWarmup", HuggingFaceSchedules::cosine)
        .register("CosineWarmupRestarts", HuggingFaceSchedules::cosineWithRestarts)
        .register("MultiCosineAnnealingWarmupLR", ResearchSchedules::multiCosine)
        .register("CosineLRScheduler", ResearchSchedules::timmCosine)
        .register("warmup", ResearchSchedules::warmup);
  }

  private static Schedule multiCosine(Params p, double baseLr) {
    long finalEpoch = p.requiredLong("final_epoch");
    long warmupBegin = p.optionalLong("warmup_begin", 0);
    p.check("warmup_begin", warmupBegin, warmupBegin >= 0, ">= 0");
    double warmupFactor = p.optionalDouble("warmup_factor", 0.01);
    p.check("warmup_factor", warmupFactor, warmupFactor >= 0, ">= 0");
    double etaMin = p.optionalDouble("eta_min", 0.0);
    p.check("eta_min", etaMin, etaMin >= 0, ">= 0");
    boolean hasRestarts = p.has("T_0");
    boolean hasMultipliers = p.has("lr_mult");
    if (hasRestarts != hasMultipliers) {
      String missing = hasRestarts ? "lr_mult" : "T_0";
      throw new IllegalArgumentException(
          "Missing required parameter "
              + p.path(missing)
              + ": T_0 and lr_mult go together, one lr_mult factor per T_0 restart.");
    }
    List<Long> restarts = hasRestarts ? p.requiredLongList("T_0") : List.of();
    List<Double> multipliers = hasMultipliers ? p.requiredDoubleList("lr_mult") : List.of();
    p.check(
        "lr_mult",
        multipliers,
        multipliers.size() == restarts.size(),
        "a list of " + restarts.size() + " factors, one per T_0 restart");
    // every cosine section needs at least two iterations (upstream divides by zero otherwise)
    long previous = warmupBegin;
    String after = "warmup_begin";
    for (int i = 0; i < restarts.size(); i++) {
      long restart = restarts.get(i);
      p.check(
          "T_0[" + i + "]",
          restart,
          restart >= previous + 2,
          ">= " + (previous + 2) + " (2 after " + after + ")");
      p.check("lr_mult[" + i + "]", multipliers.get(i), multipliers.get(i) >= 0, ">= 0");
      previous = restart;
      after = "T_0[" + i + "]";
    }
    p.check(
        "final_epoch",
        finalEpoch,
        finalEpoch >= previous + 2,
        ">= " + (previous + 2) + " (2 after " + after + ")");
    return new MultiCosineAnnealingWarmup(
        baseLr,
        finalEpoch,
        restarts.stream().mapToLong(Long::longValue).toArray(),
        multipliers.stream().mapToDouble(Double::doubleValue).toArray(),
        warmupBegin,
        warmupFactor,
        etaMin);
  }

  private static Schedule timmCosine(Params p, double baseLr) {
    long tInitial = p.requiredLong("t_initial");
    p.check("t_initial", tInitial, tInitial >= 1, ">= 1");
    double lrMin = p.optionalDouble("lr_min", 0.0);
    p.check("lr_min", lrMin, lrMin >= 0, ">= 0");
    double cycleMul = p.optionalDouble("cycle_mul", 1.0);
    // below 1 the cycle lengths sum to a finite span and timm's cycle index leaves its domain
    p.check("cycle_mul", cycleMul, cycleMul >= 1, ">= 1");
    double cycleDecay = p.optionalDouble("cycle_decay", 1.0);
    p.check("cycle_decay", cycleDecay, cycleDecay > 0, "> 0");
    long cycleLimit = p.optionalLong("cycle_limit", 1);
    p.check("cycle_limit", cycleLimit, cycleLimit >= 1, ">= 1");
    long warmupT = p.optionalLong("warmup_t", 0);
    p.check("warmup_t", warmupT, warmupT >= 0, ">= 0");
    double warmupLrInit = p.optionalDouble("warmup_lr_init", 0.0);
    p.check("warmup_lr_init", warmupLrInit, warmupLrInit >= 0, ">= 0");
    boolean warmupPrefix = p.optionalBoolean("warmup_prefix", false);
    double kDecay = p.optionalDouble("k_decay", 1.0);
    p.check("k_decay", kDecay, kDecay > 0, "> 0");
    return new TimmCosine(
        baseLr,
        tInitial,
        lrMin,
        cycleMul,
        cycleDecay,
        cycleLimit,
        warmupT,
        warmupLrInit,
        warmupPrefix,
        kDecay);
  }

  private static Schedule warmup(Params p, double baseLr) {
    Schedule inner = Schedules.build(p.requiredMap("schedule"), baseLr, p.path("schedule"));
    long warmupSteps = p.requiredLong("warmup_steps");
    p.check("warmup_steps", warmupSteps, warmupSteps >= 0, ">= 0");
    String type = p.optionalChoice("warmup_type", "linear", WarmupSchedule.TYPES);
    double startFactor = p.optionalDouble("warmup_start_factor", 0.0);
    p.check("warmup_start_factor", startFactor, startFactor >= 0 && startFactor <= 1, "in [0, 1]");
    p.check(
        "warmup_start_factor",
        startFactor,
        startFactor > 0 || !type.equals("exponential"),
        "> 0 for warmup_type \"exponential\"");
    boolean shift = p.optionalBoolean("shift", true);
    return WarmupSchedule.wrap(inner, warmupSteps, type, startFactor, shift);
  }
}
