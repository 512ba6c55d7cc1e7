package dev.runkit.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Everything a run needs to continue exactly: model parameters, optimizer state, data-stream
 * position, meters, early stopping, best-so-far, callback state and the history. Read and written
 * as one file: a magic header, the payload, and a CRC32C checksum of the payload.
 *
 * @param iteration iterations completed
 * @param elapsed seconds of training so far
 * @param seed the run's seed (a resume must use the same)
 * @param batchSize the training batch size (a resume must use the same)
 * @param epoch the data-stream epoch of the next batch
 * @param batchInEpoch the data-stream batch of the next batch
 * @param parameters the model parameters by name
 * @param optimizerType the registered type of a RunKit optimizer (e.g. {@code SGD}), else the
 *     optimizer's class name
 * @param optimizer the optimizer state, encoded (empty when the optimizer cannot export it)
 * @param scalars named numbers: early stopping, best value, metric-schedule state, counters
 * @param meters training meter state: name to {sum, count, countsOnDevice}
 * @param callbacks callback state by callback name
 * @param history the history rows so far
 * @param properties string properties kept with the model (DJL's {@code Model.getProperties()}: the
 *     data's task, class names and feature normaliser under {@code runkit.data.*}); empty when none
 *     were kept, and in files of format version 1, which had no such section
 */
record Checkpoint(
    long iteration,
    double elapsed,
    long seed,
    int batchSize,
    long epoch,
    long batchInEpoch,
    Map<String, Tensor> parameters,
    String optimizerType,
    byte[] optimizer,
    Map<String, Double> scalars,
    Map<String, double[]> meters,
    Map<String, Map<String, String>> callbacks,
    List<History.Row> history,
    Map<String, String> properties) {

  private static final byte[] MAGIC = "RUNKIT-CHECKPOINT".getBytes(StandardCharsets.US_ASCII);

  /** The format written; version 2 added the model properties after the history. */
  private static final int VERSION = 2;

  /** The oldest format still read. */
  private static final int OLDEST = 1;

  /** Copies the properties, in a fixed (sorted) order so that equal runs write equal files. */
  Checkpoint {
    properties = Collections.unmodifiableMap(new TreeMap<>(properties));
  }

  /**
   * A parameter's values detached from native memory.
   *
   * @param dataType the DJL data type name
   * @param shape the shape
   * @param data the raw values in native byte order
   */
  record Tensor(String dataType, long[] shape, byte[] data) {}

  /** Writes atomically: a temporary file beside the target, fsync, rename, fsync of the folder. */
  void write(Path file) {
    byte[] payload = encode();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      // a stream, not a channel: an interrupt of the writing thread (a second Kernel ▸ Interrupt
      // while a stopped run writes its last checkpoint) closes a channel, never a stream
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 4 + 8 + 8);
        header.put(MAGIC).putInt(VERSION).putLong(payload.length).putLong(crc.getValue());
        out.write(header.array());
        out.write(payload);
        out.getFD().sync();
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // some file systems cannot fsync a folder; the rename is still atomic
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies a checkpoint.
   *
   * @throws IllegalArgumentException for a missing, foreign, truncated or corrupt file
   */
  static Checkpoint read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("checkpoint " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[MAGIC.length];
    if (bytes.length < MAGIC.length + 20
        || !java.util.Arrays.equals(
            in.get(magic).array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException(
          "checkpoint " + file + " is not a RunKit checkpoint (no RUNKIT-CHECKPOINT header)");
    }
    int version = in.getInt();
    if (version < OLDEST || version > VERSION) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " has format version "
              + version
              + "; this RunKit reads "
              + OLDEST
              + " to "
              + VERSION);
    }
    long length = in.getLong();
    long expected = in.getLong();
    if (length != in.remaining()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is corrupt: truncated ("
              + in.remaining()
              + " of "
              + length
              + " payload bytes)");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, in.position(), in.remaining());
    if (crc.getValue() != expected) {
      throw new IllegalArgumentException(
          "checkpoint "
              + file
              + " is corrupt: checksum mismatch (the file was changed or damaged)");
    }
    try {
      return decode(
          new DataInputStream(new ByteArrayInputStream(bytes, in.position(), (int) length)),
          version);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + file + " is corrupt: " + e, e);
    }
  }

  private byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(iteration);
      out.writeDouble(elapsed);
      out.writeLong(seed);
      out.writeInt(batchSize);
      out.writeLong(epoch);
      out.writeLong(batchInEpoch);
      out.writeInt(parameters.size());
      for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
        out.writeUTF(e.getKey());
        Tensor t = e.getValue();
        out.writeUTF(t.dataType());
        out.writeInt(t.shape().length);
        for (long d : t.shape()) {
          out.writeLong(d);
        }
        out.writeInt(t.data().length);
        out.write(t.data());
      }
      out.writeUTF(optimizerType);
      out.writeInt(optimizer.length);
      out.write(optimizer);
      out.writeInt(scalars.size());
      for (Map.Entry<String, Double> e : scalars.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeDouble(e.getValue());
      }
      out.writeInt(meters.size());
      for (Map.Entry<String, double[]> e : meters.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (double v : e.getValue()) {
          out.writeDouble(v);
        }
      }
      out.writeInt(callbacks.size());
      for (Map.Entry<String, Map<String, String>> e : callbacks.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().size());
        for (Map.Entry<String, String> kv : e.getValue().entrySet()) {
          out.writeUTF(kv.getKey());
          out.writeUTF(kv.getValue());
        }
      }
      out.writeInt(history.size());
      for (History.Row r : history) {
        out.writeLong(r.iteration());
        out.writeUTF(r.phase());
        out.writeUTF(r.metric());
        out.writeDouble(r.value());
        out.writeDouble(r.lr());
        out.writeDouble(r.elapsed());
      }
      out.writeInt(properties.size());
      for (Map.Entry<String, String> e : properties.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Checkpoint decode(DataInputStream in, int version) throws IOException {
    long iteration = in.readLong();
    double elapsed = in.readDouble();
    long seed = in.readLong();
    int batchSize = in.readInt();
    long epoch = in.readLong();
    long batchInEpoch = in.readLong();
    Map<String, Tensor> parameters = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      String name = in.readUTF();
      String type = in.readUTF();
      long[] shape = new long[count(in)];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readLong();
      }
      parameters.put(name, new Tensor(type, shape, in.readNBytes(count(in))));
    }
    String optimizerType = in.readUTF();
    byte[] optimizer = in.readNBytes(count(in));
    Map<String, Double> scalars = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      scalars.put(in.readUTF(), in.readDouble());
    }
    Map<String, double[]> meters = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      String name = in.readUTF();
      double[] v = new double[count(in)];
      for (int k = 0; k < v.length; k++) {
        v[k] = in.readDouble();
      }
      meters.put(name, v);
    }
    Map<String, Map<String, String>> callbacks = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      String name = in.readUTF();
      Map<String, String> state = new LinkedHashMap<>();
      for (int k = count(in); k > 0; k--) {
        state.put(in.readUTF(), in.readUTF());
      }
      callbacks.put(name, state);
    }
    List<History.Row> history = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      history.add(
          new History.Row(
              in.readLong(),
              in.readUTF(),
              in.readUTF(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble()));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    if (version >= 2) {
      for (int i = count(in); i > 0; i--) {
        properties.put(in.readUTF(), in.readUTF());
      }
    }
    if (in.read() != -1) {
      throw new IOException(
          "trailing bytes after the " + (version >= 2 ? "model properties" : "history"));
    }
    return new Checkpoint(
        iteration,
        elapsed,
        seed,
        batchSize,
        epoch,
        batchInEpoch,
        parameters,
        optimizerType,
        optimizer,
        scalars,
        meters,
        callbacks,
        history,
        properties);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 30)) {
      throw new EOFException("bad length " + n);
    }
    return n;
  }
}
