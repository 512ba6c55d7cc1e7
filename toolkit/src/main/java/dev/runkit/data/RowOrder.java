package dev.runkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded shuffle of tabular rows, shared by labelled and regression rows so both split alike.
 */
final class RowOrder {

  private RowOrder() {}

  /** Returns the row indices {@code 0..n-1} in a random order fixed by the seed. */
  static int[] shuffled(int n, long seed) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Returns the rows of {@code width} values at the given indices, in that order. */
  static float[] gather(float[] values, int width, int[] order) {
    float[] out = new float[order.length * width];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * width, out, i * width, width);
    }
    return out;
  }
}
