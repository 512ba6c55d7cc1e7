package dev.runkit.run;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An MXNet manager for each test: opened before it and closed after it, with every array made from
 * it.
 *
 * <pre>{@code
 * @RegisterExtension final ManagerPerTest perTest = new ManagerPerTest();
 * ...
 * NDArray x = perTest.manager().create(new float[] {1, 2});
 * }</pre>
 */
public class ManagerPerTest implements BeforeEachCallback, AfterEachCallback {

  private NDManager manager;

  /** Opens this test's manager. */
  @Override
  public void beforeEach(ExtensionContext context) {
    manager = NDManager.newBaseManager();
  }

  /** Closes this test's manager and every array it holds. */
  @Override
  public void afterEach(ExtensionContext context) {
    manager.close();
    manager = null;
  }

  /**
   * The manager of the running test.
   *
   * @throws IllegalStateException outside a test (the extension is not registered as a field)
   */
  public NDManager manager() {
    if (manager == null) {
      throw new IllegalStateException(
          getClass().getSimpleName() + " is used outside a test: register it as a field");
    }
    return manager;
  }
}
