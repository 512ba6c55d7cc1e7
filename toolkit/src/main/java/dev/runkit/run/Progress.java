package dev.runkit.run;

import java.util.Map;

/**
 * One progress report of a running fit, made at each logging interval.
 *
 * @param iteration iterations completed
 * @param total iterations planned
 * @param loss the mean training loss over the last interval
 * @param lr the learning rate of the latest update (NaN when unknown)
 * @param iterationsPerSecond the speed over the last interval
 * @param etaSeconds the estimated seconds left at that speed
 * @param latest the latest value of every metric, keyed {@code phase/metric}
 */
public record Progress(
    long iteration,
    long total,
    double loss,
    double lr,
    double iterationsPerSecond,
    double etaSeconds,
    Map<String, Double> latest) {}
