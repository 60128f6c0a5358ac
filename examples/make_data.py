"""Generate the examples' tiny data sets (deterministic; run from anywhere).

    python examples/make_data.py

The files are committed; this script documents how they were made.
"""

import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write_rows(path, rows, header=None):
    with open(path, "w") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def abalone(rng, count):
    # Seven numeric shell measurements; rings (the age) grow with the weights.
    rows = []
    for _ in range(count):
        features = [round(rng.uniform(0.1, 0.8), 4) for _ in range(7)]
        rings = int(round(3 + 10 * sum(features[3:]) / 4 + rng.gauss(0, 0.5)))
        rows.append(features + [rings])
    return rows


def iris(rng, count):
    # Three classes separated along petal length and width, like the real set.
    centers = [(5.0, 3.4, 1.5, 0.2), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.5, 2.0)]
    rows = []
    for _ in range(count):
        label = rng.randrange(3)
        rows.append([round(c + rng.gauss(0, 0.25), 1) for c in centers[label]] + [label])
    return rows


def iris_csv(path, rows):
    # load_csv_with_header format: n_samples, n_features, then the class names.
    write_rows(path, rows, header=[len(rows), 4, "setosa", "versicolor", "virginica"])


def regression(rng, count):
    rows = []
    for _ in range(count):
        x = [round(rng.uniform(-1, 1), 4) for _ in range(3)]
        rows.append(x + [round(2 * x[0] - x[1] + 0.5 * x[2] + rng.gauss(0, 0.05), 4)])
    return rows


def main():
    rng = random.Random(7)
    data = os.path.join(HERE, "abalone", "data")
    os.path.isdir(data) or os.makedirs(data)
    write_rows(os.path.join(data, "training_dataset.csv"), abalone(rng, 300))
    write_rows(os.path.join(data, "evaluation_dataset.csv"), abalone(rng, 100))

    data = os.path.join(HERE, "iris_estimator", "data")
    os.path.isdir(data) or os.makedirs(data)
    iris_csv(os.path.join(data, "iris_training.csv"), iris(rng, 120))
    iris_csv(os.path.join(data, "iris_test.csv"), iris(rng, 30))

    data = os.path.join(HERE, "keras_regressor", "data")
    os.path.isdir(data) or os.makedirs(data)
    write_rows(os.path.join(data, "train.csv"), regression(rng, 256))
    write_rows(os.path.join(data, "eval.csv"), regression(rng, 64))


if __name__ == "__main__":
    main()
