package dev.runkit.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runkit.schedule.Schedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The reference problem of {@code generate_optimizer_references.py} on real MXNet arrays: a linear
 * model (W 4x3, b 4) with mean-squared-error loss on 16 fixed samples, gradients computed with
 * NDArray operations; reads the committed tables.
 */
final class ReferenceProblem {

  static final ObjectMapper JSON = new ObjectMapper();

  private ReferenceProblem() {}

  /** Reads the table of one registered name, or null when there is none. */
  static JsonNode table(String name) {
    try (InputStream in =
        ReferenceProblem.class.getResourceAsStream("/reference/optimizers/" + name + ".json")) {
      return in == null ? null : JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the optimizer a case describes. */
  @SuppressWarnings("unchecked")
  static ScheduledOptimizer optimizer(String name, JsonNode c) {
    Map<String, Object> params = JSON.convertValue(c.get("params"), Map.class);
    ScheduledOptimizer opt = Optimizers.build(name, params);
    JsonNode s = c.get("schedule");
    if (s == null || s.isNull()) {
      return opt;
    }
    double lr = opt.baseLr();
    Schedule schedule =
        switch (s.get("type").asText()) {
          case "exponential" -> {
            double gamma = s.get("gamma").asDouble();
            yield step -> lr * Math.pow(gamma, step);
          }
          case "warmup" -> {
            double steps = s.get("steps").asDouble();
            yield step -> lr * Math.min(1.0, step / steps);
          }
          case "cycled_momentum" -> {
            double start = s.get("start").asDouble();
            double delta = s.get("delta").asDouble();
            yield new Schedule() {
              @Override
              public double lr(long step) {
                return lr;
              }

              @Override
              public OptionalDouble momentum(long step) {
                return OptionalDouble.of(start + delta * step);
              }
            };
          }
          default -> throw new IllegalArgumentException("schedule " + s);
        };
    return opt.withSchedule(schedule);
  }

  /** Reads a case's clipping, or null. */
  static GradientClipping clipping(JsonNode c) {
    JsonNode clip = c.get("clip");
    if (clip == null || clip.isNull()) {
      return null;
    }
    if (clip.get("type").asText().equals("value")) {
      return GradientClipping.byValue(clip.get("clip_value").asDouble());
    }
    String normType = clip.get("norm_type").asText();
    double p = normType.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(normType);
    return GradientClipping.byNorm(clip.get("max_norm").asDouble(), p);
  }

  /** The model's two parameters and the data, in one dtype. */
  static final class Model implements AutoCloseable {
    final NDManager manager;
    final NDArray x;
    final NDArray y;
    final NDArray weight;
    final NDArray bias;

    Model(JsonNode table, DataType dtype) {
      manager = NDManager.newBaseManager();
      JsonNode p = table.get("problem");
      x = array(p.get("x"), new Shape(16, 3), dtype);
      y = array(p.get("y"), new Shape(16, 4), dtype);
      weight = array(p.get("weight"), new Shape(4, 3), dtype);
      bias = array(p.get("bias"), new Shape(4), dtype);
    }

    private NDArray array(JsonNode node, Shape shape, DataType dtype) {
      List<Double> values = new ArrayList<>();
      node.forEach(
          row -> {
            if (row.isArray()) {
              row.forEach(v -> values.add(v.asDouble()));
            } else {
              values.add(row.asDouble());
            }
          });
      double[] d = values.stream().mapToDouble(Double::doubleValue).toArray();
      if (dtype == DataType.FLOAT64) {
        return manager.create(d, shape);
      }
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return manager.create(f, shape);
    }

    /** Gradients of the mean squared error with respect to weight and bias. */
    List<NDArray> gradients() {
      NDArray residual = x.matMul(weight.transpose()).add(bias).sub(y);
      NDArray scaled = residual.mul(2.0 / 64.0);
      NDArray gw = scaled.transpose().matMul(x);
      NDArray gb = scaled.sum(new int[] {0});
      residual.close();
      scaled.close();
      return List.of(gw, gb);
    }

    /** Runs steps {@code from+1 .. to} and returns weight and bias after each. */
    List<double[]> run(ScheduledOptimizer opt, GradientClipping clip, int from, int to) {
      List<double[]> out = new ArrayList<>();
      for (int step = from; step < to; step++) {
        List<NDArray> grads = gradients();
        if (clip != null) {
          clip.apply(grads).close();
        }
        opt.beginStep(grads);
        opt.update("weight", weight, grads.get(0));
        opt.update("bias", bias, grads.get(1));
        grads.forEach(NDArray::close);
        out.add(snapshot());
      }
      return out;
    }

    double[] snapshot() {
      double[] w = weight.toType(DataType.FLOAT64, true).toDoubleArray();
      double[] b = bias.toType(DataType.FLOAT64, true).toDoubleArray();
      double[] all = new double[w.length + b.length];
      System.arraycopy(w, 0, all, 0, w.length);
      System.arraycopy(b, 0, all, w.length, b.length);
      return all;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /** Expected weight and bias after each step. */
  static List<double[]> expected(JsonNode c) {
    List<double[]> out = new ArrayList<>();
    for (JsonNode step : c.get("trajectory")) {
      double[] all = new double[16];
      int i = 0;
      for (JsonNode v : step.get("weight")) {
        all[i++] = v.asDouble();
      }
      for (JsonNode v : step.get("bias")) {
        all[i++] = v.asDouble();
      }
      out.add(all);
    }
    return out;
  }
}
