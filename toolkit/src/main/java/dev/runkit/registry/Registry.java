package dev.runkit.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A name to factory map with case-insensitive look-up and helpful errors; shared by the schedule
 * and optimizer factories so that adding a family is one class plus one registration line. Aliases
 * (other spellings users type for a name) are accepted and taken into account when the nearest name
 * is suggested, but not listed among the names.
 *
 * @param <F> the factory type
 */
public final class Registry<F> {

  private final String kind;
  private final Map<String, String> canonical = new LinkedHashMap<>();
  private final Map<String, F> factories = new LinkedHashMap<>();

  /** Alias key to the key of the name it stands for. */
  private final Map<String, String> aliasTargets = new LinkedHashMap<>();

  /** Alias key to the alias as registered. */
  private final Map<String, String> aliasSpellings = new LinkedHashMap<>();

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
    requireFree(name);
    String key = key(name);
    canonical.put(key, name);
    factories.put(key, Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * Registers another spelling of a registered name (matched case-insensitively, as names are).
   *
   * @param alias the other spelling, e.g. {@code cosine_with_warmup}
   * @param name the registered name it stands for, e.g. {@code cosine}
   * @return this registry
   * @throws IllegalStateException if the name is not registered or the alias is already taken
   */
  public Registry<F> alias(String alias, String name) {
    if (!canonical.containsKey(key(name))) {
      throw new IllegalStateException(
          "alias \""
              + alias
              + "\" stands for "
              + kind
              + " \""
              + name
              + "\", which is not registered");
    }
    requireFree(alias);
    aliasTargets.put(key(alias), key(name));
    aliasSpellings.put(key(alias), alias);
    return this;
  }

  private void requireFree(String spelling) {
    String key = key(spelling);
    if (canonical.containsKey(key)) {
      throw new IllegalStateException(
          kind + " \"" + spelling + "\" is already registered as \"" + canonical.get(key) + "\"");
    }
    if (aliasTargets.containsKey(key)) {
      throw new IllegalStateException(
          kind
              + " \""
              + spelling
              + "\" is already an alias of \""
              + canonical.get(aliasTargets.get(key))
              + "\"");
    }
  }

  /** The key of the registered name a spelling stands for (itself or through an alias), or null. */
  private String resolve(String name) {
    if (name == null) {
      return null;
    }
    String key = key(name);
    return factories.containsKey(key) ? key : aliasTargets.get(key);
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
    String key = resolve(name);
    if (key == null) {
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
              + (name == null ? "" : didYouMean(name)));
    }
    return factories.get(key);
  }

  /**
   * The nearest name or alias: comparing against the aliases too keeps a typo in the family it was
   * meant for ("cosin_with_warmup" is nearest to the alias "cosine_with_warmup", where the names
   * alone would offer "constant_with_warmup", another schedule).
   */
  private String didYouMean(String name) {
    List<String> spellings = names();
    spellings.addAll(aliasSpellings.values());
    return Names.nearest(name, spellings)
        .map(
            n -> {
              String target = canonical.get(resolve(n));
              return " Did you mean \""
                  + n
                  + "\""
                  + (target.equals(n) ? "" : " (an alias of \"" + target + "\")")
                  + "?";
            })
        .orElse("");
  }

  /**
   * Returns the registered spelling of a name.
   *
   * @param name a registered name in any case
   * @param keyPath where the name was written, for the message
   * @return the name as registered (for an alias, the name it stands for)
   * @throws IllegalArgumentException if the name is unknown
   */
  public String canonicalName(String name, String keyPath) {
    get(name, keyPath);
    return canonical.get(resolve(name));
  }

  /**
   * Tells whether a name or alias is registered (in any case).
   *
   * @param name a name
   * @return true when registered
   */
  public boolean contains(String name) {
    return resolve(name) != null;
  }

  /**
   * Lists every registered name in registration order.
   *
   * @return the names, as registered
   */
  public List<String> names() {
    return new ArrayList<>(canonical.values());
  }

  /**
   * Lists every alias with the name it stands for, in registration order.
   *
   * @return alias to registered name, as registered
   */
  public Map<String, String> aliases() {
    Map<String, String> out = new LinkedHashMap<>();
    aliasSpellings.forEach((key, alias) -> out.put(alias, canonical.get(aliasTargets.get(key))));
    return out;
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
