package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The digits train/validation split ({@link Fixtures#digits}) and the MXNet manager that holds it,
 * fresh for every test: a new manager before each test, closed after it. The split is made on first
 * use, so tests that build their own data from {@link #manager()} do not pay for it.
 *
 * <pre>{@code
 * @RegisterExtension final DigitsSplit digits = new DigitsSplit(64);
 * ...
 * Runner.with(block).data(digits.train(), digits.validation())
 * }</pre>
 */
public final class DigitsSplit implements BeforeEachCallback, AfterEachCallback {

  private final int batchSize;
  private NDManager manager;
  private ArrayDataset[] split;

  /**
   * Creates the extension.
   *
   * @param batchSize the batch size of both datasets
   */
  public DigitsSplit(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Opens this test's manager. */
  @Override
  public void beforeEach(ExtensionContext context) {
    manager = NDManager.newBaseManager();
    split = null;
  }

  /** Closes this test's manager and with it the split's arrays. */
  @Override
  public void afterEach(ExtensionContext context) {
    manager.close();
    manager = null;
    split = null;
  }

  /** The manager of the running test, closed after it. */
  public NDManager manager() {
    if (manager == null) {
      throw new IllegalStateException("DigitsSplit is used outside a test: register it as a field");
    }
    return manager;
  }

  /** The 1,437 training rows. */
  public ArrayDataset train() {
    return split()[0];
  }

  /** The 360 validation rows. */
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
