"""Writes the benchmark's numeric CSV: ROWS x 12 columns of seeded random numbers (~100 MB
for 1,000,000 rows), plus a 0/1 label column. Usage: make_csv.py OUT.csv [ROWS]"""
import sys

import numpy as np

out, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = np.random.default_rng(7)
x = rng.normal(size=(rows, 11)) * rng.uniform(0.5, 100, size=11)
y = (x[:, 0] + x[:, 1] > 0).astype(int)
header = ",".join([f"f{i}" for i in range(11)] + ["label"])
np.savetxt(out, np.column_stack([x, y]), delimiter=",", header=header, comments="", fmt=["%.5g"] * 11 + ["%d"])
