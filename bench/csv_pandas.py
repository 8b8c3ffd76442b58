"""pandas side of the CSV benchmark: read_csv (parse + type inference). Prints one JSON line."""
import json
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
t0 = time.perf_counter()
df = pd.read_csv(path)
secs = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
size = __import__("os").path.getsize(path)
print(json.dumps({"mb": round(size / 1e6, 1), "seconds": round(secs, 3), "rows": len(df),
                  "columns": df.shape[1], "peak_extra_bytes": peak - before}))
