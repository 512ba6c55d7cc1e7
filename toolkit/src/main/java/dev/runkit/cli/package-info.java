/**
 * The command line: {@link dev.runkit.cli.Main} dispatches verbs ({@code kernel install}, and later
 * {@code train}, {@code resume}, {@code schedule}); nothing else in RunKit imports this package.
 */
package dev.runkit.cli;
