package dev.runkit.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A name to factory map with case-insensitive look-up and helpful errors; shared by the schedule
 * and optimizer factories so that adding a family is one class plus one registration line.
 *
 * @param <F> the factory type
 */
public final class Registry<F> {

  private final String kind;
  private final Map<String, String> canonical = new LinkedHashMap<>();
  private final Map<String, F> factories = new LinkedHashMap<>();

  /**
   * Creates an empty registry.
   *
   * @param kind what the registry holds, in the singular ("schedule", "optimizer"), for messages
   */
  public Registry(String kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Registers a factory under a name (matched case-insensitively).
   *
   * @param name the registered name, as users will see it listed
   * @param factory the factory
   * @return this registry
   * @throws IllegalStateException if the name is already taken
   */
  public Registry<F> register(String name, F factory) {
    String key = key(name);
    if (canonical.containsKey(key)) {
      throw new IllegalStateException(
          kind + " \"" + name + "\" is already registered as \"" + canonical.get(key) + "\"");
    }
    canonical.put(key, name);
    factories.put(key, Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * Looks up a factory.
   *
   * @param name the name the user wrote
   * @param keyPath where the name was written, for the message (e.g. {@code
   *     TRAIN.LR_SCHEDULER.TYPE})
   * @return the factory
   * @throws IllegalArgumentException naming the key, the value, every registered name and the
   *     nearest one, if the name is unknown
   */
  public F get(String name, String keyPath) {
    F factory = name == null ? null : factories.get(key(name));
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown "
              + kind
              + " \""
              + name
              + "\" at "
              + keyPath
              + "; expected one of "
              + names()
              + "."
              + (name == null ? "" : Names.didYouMean(name, names())));
    }
    return factory;
  }

  /**
   * Returns the registered spelling of a name.
   *
   * @param name a registered name in any case
   * @param keyPath where the name was written, for the message
   * @return the name as registered
   * @throws IllegalArgumentException if the name is unknown
   */
  public String canonicalName(String name, String keyPath) {
    get(name, keyPath);
    return canonical.get(key(name));
  }

  /**
   * Tells whether a name is registered (in any case).
   *
   * @param name a name
   * @return true when registered
   */
  public boolean contains(String name) {
    return name != null && factories.containsKey(key(name));
  }

  /**
   * Lists every registered name in registration order.
   *
   * @return the names, as registered
   */
  public List<String> names() {
    return new ArrayList<>(canonical.values());
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
