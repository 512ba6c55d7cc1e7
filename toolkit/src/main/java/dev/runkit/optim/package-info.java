/**
 * Optimizers with PyTorch's numerics for DJL on MXNet: {@link dev.runkit.optim.Optimizers} (factory
 * and name registry, config or fluent), {@link dev.runkit.optim.ScheduledOptimizer} (learning rate
 * from a schedule, state exported and restored through {@link dev.runkit.optim.OptimizerState}),
 * {@link dev.runkit.optim.ParamGroup} (per-group lr multiplier and weight decay), {@link
 * dev.runkit.optim.GradientClipping} (global norm or value) and {@link
 * dev.runkit.optim.BuiltInOptimizers} (the same state export and import for DJL's built-in
 * optimizers).
 *
 * <pre>{@code
 * ScheduledOptimizer opt = Optimizers.adamW().lr(1e-3).weightDecay(0.05).build();
 * opt.nameParameters(block.getParameters());            // state and groups by parameter name
 * NDArray norm = GradientClipping.byNorm(1.0).apply(gradients);
 * opt.beginStep(gradients);                              // Lamb's global norm; no-op otherwise
 * trainer.step();                                        // DJL calls opt.update(...) per parameter
 * }</pre>
 */
package dev.runkit.optim;
