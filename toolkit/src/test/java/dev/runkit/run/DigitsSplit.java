package dev.runkit.run;

import ai.djl.training.dataset.ArrayDataset;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The digits train/validation split ({@link Fixtures#digits}) on a manager of its own for each test
 * ({@link ManagerPerTest}). The split is made on first use, so tests that build their own data from
 * {@link #manager()} do not pay for it.
 *
 * <pre>{@code
 * @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);
 * ...
 * Runner.with(block).data(digits.train(), digits.validation())
 * }</pre>
 */
public final class DigitsSplit extends ManagerPerTest {

  private final int batchSize;
  private ArrayDataset[] split;

  /**
   * Creates the extension.
   *
   * @param batchSize the batch size of both datasets
   */
  public DigitsSplit(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Closes this test's manager, with the split's arrays, and forgets the split. */
  @Override
  public void afterEach(ExtensionContext context) {
    split = null;
    super.afterEach(context);
  }

  /** The 1,437 training rows, in batches of the given size. */
  public ArrayDataset train() {
    return split()[0];
  }

  /** The 360 validation rows, in batches of the given size. */
  public ArrayDataset validation() {
    return split()[1];
  }

  private ArrayDataset[] split() {
    if (split == null) {
      split = Fixtures.digits(manager(), batchSize);
    }
    return split;
  }
}
