/**
 * Data for a run: your own CSV file, arrays or DJL dataset, the bundled sets (digits, iris, CO2,
 * sunspots), and the splits and windows that make training, validation and test parts of them.
 *
 * <pre>{@code
 * // your own CSV: a header row, a label column (numbers or names), numeric feature columns
 * CsvTable csv = CsvTable.read(Path.of("flowers.csv"), true);
 * LabeledData flowers = csv.labeled(csv.column("species"));
 * SplitData split = SplitData.classification("flowers", flowers, Ratio.of(0.7, 0.15, 0.15), 42);
 * RunResult r = Runner.with(Mlp.outputs(3).hidden(32).build())
 *     .loss(Loss.softmaxCrossEntropyLoss())
 *     .data(split, 16) // datasets whose arrays belong to the run's model
 *     .optimizer(Optimizers.adamW().lr(3e-3))
 *     .iterations(200)
 *     .fit();
 *
 * // your own arrays: features row-major (rows x columns), one class label per row
 * float[] features = {5.1f, 3.5f, 7.0f, 3.2f, 6.3f, 3.3f, 4.9f, 3.0f};
 * int[] labels = {0, 1, 2, 0};
 * LabeledData mine = new LabeledData(features, labels, 2); // then SplitData.classification(...)
 *
 * // your own series, from one column of a CSV file: windows of 12 values predict the next one
 * SplitData sales = Series.csv(Path.of("sales.csv"), "units").split(12, 1, Ratio.of(0.7, 0.1, 0.2), true);
 *
 * // your own DJL dataset (any RandomAccessDataset), its arrays in a manager you close
 * try (NDManager manager = NDManager.newBaseManager()) {
 *   ArrayDataset train = new ArrayDataset.Builder()
 *       .setData(manager.create(features, new Shape(4, 2)))
 *       .optLabels(manager.create(new float[] {0, 1, 2, 0}))
 *       .setSampling(2, true)
 *       .build();
 *   Runner.with(Mlp.outputs(3).hidden(8).build())
 *       .loss(Loss.softmaxCrossEntropyLoss())
 *       .data(train)
 *       .optimizer(Optimizers.sgd().lr(0.1))
 *       .iterations(20)
 *       .fit();
 * }
 *
 * // the bundled sets
 * SplitData digits = SplitData.classification("digits", LabeledData.digits(), Ratio.of(0.7, 0.15, 0.15), 42);
 * SplitData co2 = Series.co2().split(52, 1, Ratio.of(0.7, 0.1, 0.2), true);
 * }</pre>
 */
package dev.runkit.data;
