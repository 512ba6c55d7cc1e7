/**
 * Sweeps on Apache Spark: {@link dev.runkit.sweep.spark.SparkExecutor} runs trials as Spark tasks
 * ({@code SWEEP.EXECUTOR.TYPE: spark}), {@link dev.runkit.sweep.spark.SparkSweep} is the main class
 * for {@code spark-submit}. The only RunKit code that imports Spark, which is a {@code provided}
 * dependency: it is reached by name ({@code TrialExecutors}), so RunKit without Spark runs
 * everything else.
 */
package dev.runkit.sweep.spark;
