package dev.runkit.config;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.runkit.data.DataInfo;
import dev.runkit.model.ModelFactory;
import dev.runkit.registry.Params;

/** A user's own model, named in configs by MODEL.CLASS: one linear layer of a given width. */
public final class TinyModel implements ModelFactory {

  @Override
  public Block create(Params params, DataInfo data) {
    long units = params.optionalLong("units", 16);
    params.check("units", units, units > 0, "> 0");
    boolean wrongOutputs = params.optionalBoolean("wrong_outputs", false);
    return new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(units).build())
        .add(Linear.builder().setUnits(data.outputs() + (wrongOutputs ? 1 : 0)).build());
  }
}
