/**
 * Built-in networks by name (MLP, a small CNN, LSTM / GRU forecasters), the {@link
 * dev.runkit.model.ModelFactory} users implement for their own, losses by name, and the check that
 * a model fits its data before training.
 */
package dev.runkit.model;
