package dev.runkit.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel copies of a model, one per device of the run: replica 0 is the model's own
 * parameter arrays on the first device, replica {@code k > 0} a copy on device {@code k} with its
 * own gradient handles. Replicas are indexed by position, not by device, so {@code [cpu, cpu]}
 * makes two real replicas on one CPU.
 *
 * <p>A step splits the batch's rows into one slice per replica, runs forward and backward on each,
 * weights each slice's loss by its share of the rows (so the summed gradient is the gradient of the
 * full batch's mean loss), and adds every replica's gradients into replica 0's; the caller then
 * clips and updates replica 0 as with one device and calls {@link #broadcast()}. Everything is
 * queued on the engine: nothing here waits for the device.
 *
 * <p>The weighting is exact for losses that average over rows (cross-entropy, L1, L2). A loss that
 * averages over the valid elements of a mask (the masked MAE of forecasting) is weighted by rows
 * too, so with unevenly masked slices its gradient is close to, not equal to, the one-device
 * gradient; PyTorch's {@code DataParallel} avoids this by gathering the outputs before the loss.
 *
 * <p>The broadcast copies every parameter, including those without gradients such as BatchNorm's
 * running statistics: like PyTorch's {@code DataParallel}, those follow replica 0's slice.
 */
final class Replicas {

  /**
   * One slice's labels and predictions, on its replica's device.
   *
   * @param labels the slice's labels
   * @param predictions the replica's output
   * @param rows the slice's rows
   */
  record Slice(NDList labels, NDList predictions, long rows) {}

  private final List<Device> devices;
  private final List<ParameterStore> stores = new ArrayList<>();
  private final List<List<NDArray>> gradients = new ArrayList<>();
  private final List<List<NDArray>> arrays = new ArrayList<>();

  /**
   * Copies the model onto devices {@code 1..n-1}.
   *
   * @param block the initialized block (replica 0)
   * @param store0 the parameter store that gives the block's own arrays
   * @param gradients0 the cached gradient handles of replica 0, in the order of the trainable
   *     parameters of {@code block.getParameters()}
   * @param devices the devices, the first being where the block's parameters live
   * @param manager the manager that owns the copies (closed with the run)
   */
  Replicas(
      Block block,
      ParameterStore store0,
      List<NDArray> gradients0,
      List<Device> devices,
      NDManager manager) {
    this.devices = List.copyOf(devices);
    List<NDArray> own = new ArrayList<>();
    for (var pair : block.getParameters()) {
      own.add(pair.getValue().getArray());
    }
    stores.add(store0);
    gradients.add(gradients0);
    arrays.add(own);
    for (int k = 1; k < devices.size(); k++) {
      NDManager m = manager.newSubManager(devices.get(k));
      Map<String, NDArray> byId = new HashMap<>();
      List<NDArray> copies = new ArrayList<>();
      List<NDArray> grads = new ArrayList<>();
      for (var pair : block.getParameters()) {
        Parameter p = pair.getValue();
        NDArray source = p.getArray();
        NDArray copy = m.create(source.getShape(), source.getDataType());
        source.copyTo(copy);
        if (p.requiresGradient()) {
          copy.setRequiresGradient(true);
          NDArray g = copy.getGradient();
          g.attach(m);
          grads.add(g);
        }
        byId.put(p.getId(), copy);
        copies.add(copy);
      }
      stores.add(new ReplicaStore(m, byId));
      gradients.add(grads);
      arrays.add(copies);
    }
  }

  /**
   * Returns the number of replicas.
   *
   * @return the number of devices
   */
  int size() {
    return devices.size();
  }

  /**
   * Runs forward and backward of one batch over the replicas and reduces the gradients onto replica
   * 0. Slices are {@code ceil(rows / n)} rows each, the last one shorter; replicas left without
   * rows sit this batch out. Temporary arrays belong to the batch, which the caller closes a step
   * late.
   *
   * @param batch the batch (on any device)
   * @param block the network
   * @param loss the loss, a mean over the rows it is given
   * @param engine makes the gradient collectors
   * @param slices gets each slice's labels and predictions, e.g. for metrics
   * @return the batch's mean loss on the first device
   */
  NDArray forwardBackward(Batch batch, Block block, Loss loss, Engine engine, List<Slice> slices) {
    return pass(batch, block, loss, engine, slices);
  }

  /**
   * Runs the training-mode forward passes of one batch over the replicas, sliced as {@link
   * #forwardBackward} slices it, without backward: replays the random draws (dropout masks) the
   * step made, which depend on the slices' shapes.
   *
   * @param batch the batch (on any device)
   * @param block the network
   * @param loss the loss
   * @param engine makes the gradient collectors (training mode)
   */
  void replayForward(Batch batch, Block block, Loss loss, Engine engine) {
    pass(batch, block, loss, engine, null);
  }

  /** One pass over the slices; with {@code slices == null} forward only (a replay). */
  private NDArray pass(Batch batch, Block block, Loss loss, Engine engine, List<Slice> slices) {
    boolean train = slices != null;
    NDManager scratch = batch.getManager();
    NDList data = batch.getData();
    NDList labels = batch.getLabels();
    long rows = data.head().getShape().get(0);
    long chunk = (rows + size() - 1) / size();
    NDArray total = null;
    for (int k = 0; k < size(); k++) {
      long from = k * chunk;
      long to = Math.min(rows, from + chunk);
      if (from >= to) {
        break;
      }
      Device device = devices.get(k);
      NDList x = slice(data, from, to, device);
      NDList y = slice(labels, from, to, device);
      NDList predictions;
      NDArray weighted;
      try (GradientCollector collector = engine.newGradientCollector()) {
        predictions = block.forward(stores.get(k), x, true);
        // a slice's mean loss times its share of the rows: the slices' gradients then add up to
        // the gradient of the whole batch's mean loss
        weighted = loss.evaluate(y, predictions).mul((double) (to - from) / rows);
        if (train) {
          collector.backward(weighted);
        }
      }
      if (!train) {
        continue;
      }
      slices.add(new Slice(y, predictions, to - from));
      NDArray first = toFirst(weighted, scratch);
      total = total == null ? first : total.add(first);
      if (k > 0) {
        List<NDArray> into = gradients.get(0);
        List<NDArray> theirs = gradients.get(k);
        for (int i = 0; i < into.size(); i++) {
          into.get(i).addi(toFirst(theirs.get(i), scratch));
        }
      }
    }
    return total;
  }

  /** Copies every parameter of replica 0 (trainable or not) to the other replicas. */
  void broadcast() {
    List<NDArray> own = arrays.get(0);
    for (int k = 1; k < size(); k++) {
      List<NDArray> copies = arrays.get(k);
      for (int i = 0; i < own.size(); i++) {
        own.get(i).copyTo(copies.get(i));
      }
    }
  }

  /**
   * Returns a replica's parameter arrays, in the order of {@code block.getParameters()}; replica
   * 0's are the model's own.
   *
   * @param replica the replica's position
   * @return its arrays (live, not copies)
   */
  List<NDArray> parameters(int replica) {
    return arrays.get(replica);
  }

  /**
   * Returns a replica's cached gradient handles, in the order of the trainable parameters.
   *
   * @param replica the replica's position
   * @return its gradients (live)
   */
  List<NDArray> gradients(int replica) {
    return gradients.get(replica);
  }

  /**
   * Moves arrays to the first device (a no-op there); copies belong to {@code scratch}.
   *
   * @param list arrays on a replica's device
   * @param scratch the manager the copies are closed with
   * @return the arrays on the first device
   */
  NDList toFirst(NDList list, NDManager scratch) {
    NDList out = new NDList(list.size());
    for (NDArray a : list) {
      out.add(toFirst(a, scratch));
    }
    return out;
  }

  private NDArray toFirst(NDArray a, NDManager scratch) {
    Device first = devices.get(0);
    if (a.getDevice().equals(first)) {
      return a;
    }
    NDArray moved = a.toDevice(first, false);
    moved.attach(scratch);
    return moved;
  }

  private static NDList slice(NDList list, long from, long to, Device device) {
    NDList out = new NDList(list.size());
    NDIndex rows = new NDIndex().addSliceDim(from, to);
    for (NDArray a : list) {
      // sliced arrays belong to the batch's manager and close with it
      NDArray part = a.get(rows);
      out.add(part.getDevice().equals(device) ? part : part.toDevice(device, false));
    }
    return out;
  }

  /** Gives a replica's own arrays to the blocks, whatever device they ask for. */
  private static final class ReplicaStore extends ParameterStore {

    private final Map<String, NDArray> arrays;

    ReplicaStore(NDManager manager, Map<String, NDArray> arrays) {
      super(manager, false);
      this.arrays = arrays;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      if (parameter == null) {
        return null;
      }
      NDArray a = arrays.get(parameter.getId());
      if (a == null) {
        throw new IllegalStateException(
            "parameter " + parameter.getName() + " was not in the model when it was replicated");
      }
      return a;
    }
  }
}
