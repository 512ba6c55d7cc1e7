package dev.runkit.model;

import ai.djl.nn.Block;
import dev.runkit.data.DataInfo;
import dev.runkit.registry.Params;

/**
 * Makes a network for a data set: what a built-in model name stands for, and what a user's own
 * model implements to be named in a config by {@code MODEL: {CLASS: com.example.MyModel, PARAM:
 * {...}}} (the class needs a public no-argument constructor).
 *
 * <pre>{@code
 * public final class MyModel implements ModelFactory {
 *   public Block create(Params params, DataInfo data) {
 *     long units = params.optionalLong("units", 32);
 *     params.check("units", units, units > 0, "> 0");
 *     return new SequentialBlock()
 *         .add(Linear.builder().setUnits(units).build())
 *         .add(Activation::relu)
 *         .add(Linear.builder().setUnits(data.outputs()).build());
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory {

  /**
   * Makes a new, uninitialized network. Read parameters through {@code params} (every key not read
   * is then reported as unknown) and check them with {@link Params#check}. The network is made
   * twice, once to check its shapes against the data before anything is written and once for the
   * run, so it must depend on the parameters and data only.
   *
   * @param params the model's {@code PARAM} map, reported under {@code MODEL.PARAM}
   * @param data what the network takes (example shape) and gives (outputs)
   * @return the network
   * @throws IllegalArgumentException for a bad parameter or data it cannot take
   */
  Block create(Params params, DataInfo data);
}
