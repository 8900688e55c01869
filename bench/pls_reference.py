"""The same PLS path model as `npm run csi`, written plainly with numpy, for bench/csi-command.ts.

    python3 bench/pls_reference.py --csv FILE --model MODEL.json

Reads the CSV with numpy, standardises the items (n - 1), then Lohmoeller's iteration on the rows: construct
scores from the outer weights, inner estimates by the path weighting scheme, mode A outer weights (each
item's covariance with its construct's inner estimate), until no weight moves by 1e-7; then the path
coefficients by OLS on the standardised scores. Prints one JSON object: iterations and paths ("From->To").
Exits with status 3 when numpy is not installed.
"""

import argparse
import json
import sys

try:
    import numpy as np
except ImportError:
    print("numpy is not installed", file=sys.stderr)
    sys.exit(3)


def standardise(matrix):
    centred = matrix - matrix.mean(axis=0)
    return centred / centred.std(axis=0, ddof=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", required=True)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    with open(args.model, encoding="utf-8") as file:
        model = json.load(file)
    constructs = list(model["constructs"])
    paths = [tuple(path) for path in model["paths"]]
    with open(args.csv, encoding="utf-8") as file:
        header = file.readline().strip().split(",")
    data = np.loadtxt(args.csv, delimiter=",", skiprows=1, dtype=np.float64)

    # Items in construct order; block k holds the columns of construct k.
    items = [item for name in constructs for item in model["constructs"][name]]
    x = standardise(data[:, [header.index(item) for item in items]])
    n, p = x.shape
    k_count = len(constructs)
    index = {name: k for k, name in enumerate(constructs)}
    block = np.array([index[name] for name in constructs for _ in model["constructs"][name]])
    membership = np.zeros((p, k_count))
    membership[np.arange(p), block] = 1.0
    predecessors = [[index[a] for a, b in paths if index[b] == j] for j in range(k_count)]
    successors = [[index[b] for a, b in paths if index[a] == j] for j in range(k_count)]

    def scores_of(weights):
        y = x @ (membership * weights[:, None])
        return y / y.std(axis=0, ddof=1)

    def ols(y, target, sources):
        coefficients, *_ = np.linalg.lstsq(y[:, sources], y[:, target], rcond=None)
        return coefficients

    weights = np.ones(p)
    iterations = 0
    while iterations < 300:
        y = scores_of(weights)
        correlations = np.corrcoef(y, rowvar=False)
        inner = np.zeros((k_count, k_count))
        for j in range(k_count):
            for i in successors[j]:
                inner[i, j] = correlations[i, j]
            if predecessors[j]:
                inner[predecessors[j], j] = ols(y, j, predecessors[j])
        z = y @ inner
        z = z / z.std(axis=0, ddof=1)
        # Mode A: cov(item, its construct's inner estimate), then each score rescaled to variance 1.
        new = (x * z[:, block]).sum(axis=0) / (n - 1)
        new = new / (x @ (membership * new[:, None])).std(axis=0, ddof=1)[block]
        change = np.abs(new - weights).max()
        weights = new
        iterations += 1
        if change < 1e-7:
            break

    y = scores_of(weights)
    coefficients = {}
    for j in range(k_count):
        if predecessors[j]:
            for i, value in zip(predecessors[j], ols(y, j, predecessors[j])):
                coefficients[(i, j)] = float(value)
    result = {
        "iterations": iterations,
        "paths": {f"{a}->{b}": coefficients[(index[a], index[b])] for a, b in paths},
    }
    print(json.dumps(result))


main()
