package dev.runkit.registry;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the valid name nearest to a misspelt one, for "Did you mean ...?" hints in error messages.
 */
public final class Names {

  private Names() {}

  /**
   * Returns the candidate closest to {@code input}, ignoring case, underscores and hyphens, if it
   * is close enough to be a plausible typo (edit distance at most a third of its length, at least
   * 2; a name cut short counts as one edit, a short name written out as its word, as "maximum" for
   * "max", as two; a longer tail past a whole name counts its edits).
   *
   * @param input what the user wrote
   * @param candidates the valid names
   * @return the nearest valid name, or empty when none is plausibly meant
   */
  public static Optional<String> nearest(String input, Collection<String> candidates) {
    String wanted = normalize(input);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int bestEdits = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String normalized = normalize(candidate);
      int edits = distance(wanted, normalized);
      int distance = edits;
      // a name cut short is one step from the name; text typed past a whole name is not: it is
      // the rest of a longer name ("constant_with_warmpu" means "constant_with_warmup", not
      // "constant", another schedule)
      if (normalized.startsWith(wanted)) {
        distance = Math.min(distance, normalized.length() > wanted.length() ? 1 : 0);
      } else if (!normalized.isEmpty()
          && wanted.startsWith(normalized)
          && wanted.length() - normalized.length() <= normalized.length() + 1) {
        // a short name written out as its word ("maximum" for "max") is two steps from it (a name
        // cut short, one, wins); a long tail past a whole name is the rest of another name, and
        // counts its edits
        distance = Math.min(distance, 2);
      }
      // among equally near names (several prefixes count as 1) the fewest edits wins:
      // "cosine_with_restart" means "cosine_with_restarts", not "cosine"
      if (distance < bestDistance || (distance == bestDistance && edits < bestEdits)) {
        bestDistance = distance;
        bestEdits = edits;
        best = candidate;
      }
    }
    int allowed = Math.max(2, wanted.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * Returns {@code " Did you mean \"x\"?"} for the nearest candidate, or an empty string.
   *
   * @param input what the user wrote
   * @param candidates the valid names
   * @return a sentence to append to an error message
   */
  public static String didYouMean(String input, Collection<String> candidates) {
    return nearest(input, candidates).map(n -> " Did you mean \"" + n + "\"?").orElse("");
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
