package dev.runkit.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The kind of CSV a new user brings: the bundled iris measurements with text labels and one column
 * in other units, and a noisy linear regression with unscaled columns.
 */
public final class OwnCsv {

  /** The class names of {@link #iris}, by iris species (setosa, versicolor, virginica). */
  public static final String[] SIZES = {"low", "mid", "high"};

  private OwnCsv() {}

  /**
   * Writes the 150 iris flowers with the species as {@code low}, {@code mid}, {@code high} in the
   * last column {@code size}, and petal length moved from 1.0-6.9 cm to 20-40 (the one column far
   * from unit scale).
   *
   * @param file the file to write
   * @return the file
   */
  public static Path iris(Path file) {
    LabeledData iris = LabeledData.iris();
    StringBuilder b = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,size\n");
    for (int r = 0; r < iris.size(); r++) {
      float[] x = iris.features();
      float petal = 20 + (x[r * 4 + 2] - 1f) / 5.9f * 20;
      b.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.3f,%s,%s%n",
              x[r * 4],
              x[r * 4 + 1],
              petal,
              x[r * 4 + 3],
              SIZES[iris.labels()[r]]));
    }
    return write(file, b);
  }

  /**
   * Writes {@code rows} rows of {@code y = 3 * x1 - 2 * x2 + noise} with x1 uniform in [0, 10), x2
   * uniform in [20, 40), an unrelated column x3 and standard normal noise, four decimals each.
   *
   * @param file the file to write
   * @param rows the row count
   * @param seed the seed of the values
   * @return the file
   */
  public static Path linear(Path file, int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder("x1,x2,x3,y\n");
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextDouble() * 10;
      double x2 = 20 + random.nextDouble() * 20;
      double x3 = random.nextGaussian();
      double y = 3 * x1 - 2 * x2 + random.nextGaussian();
      b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f%n", x1, x2, x3, y));
    }
    return write(file, b);
  }

  /**
   * Writes {@code rows} house prices: {@code price = 50000 + 2500 * area + 15000 * rooms - 800 *
   * age + noise} with area uniform in [40, 300) m², 1-6 rooms, age uniform in [0, 80) years and
   * noise of deviation 20000; prices lie around 10⁵-10⁶, far from where a new network starts.
   *
   * @param file the file to write
   * @param rows the row count
   * @param seed the seed of the values
   * @return the file
   */
  public static Path houses(Path file, int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder("area,rooms,age,price\n");
    for (int i = 0; i < rows; i++) {
      double area = 40 + random.nextDouble() * 260;
      int rooms = 1 + random.nextInt(6);
      double age = random.nextDouble() * 80;
      double price =
          50000 + 2500 * area + 15000 * rooms - 800 * age + 20000 * random.nextGaussian();
      b.append(String.format(Locale.ROOT, "%.1f,%d,%.0f,%.0f%n", area, rooms, age, price));
    }
    return write(file, b);
  }

  private static Path write(Path file, CharSequence text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
