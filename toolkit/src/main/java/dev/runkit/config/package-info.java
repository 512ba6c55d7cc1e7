/**
 * Reading YAML / JSON run configs (BasicTS-style sections) into typed, validated settings with
 * key-path error messages, and the single path from a config to the {@link dev.runkit.Runner}
 * builder.
 */
package dev.runkit.config;
