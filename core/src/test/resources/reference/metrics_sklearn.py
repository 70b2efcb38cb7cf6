"""Reference values for MetricsTest: scikit-learn's confusion matrix, per-class precision,
recall and F1 (zero_division=0), and regression metrics, on fixed data.
Run: python3 metrics_sklearn.py > metrics_sklearn.json"""
import json

import numpy as np
from sklearn.metrics import (confusion_matrix, mean_absolute_error, mean_squared_error,
                             precision_recall_fscore_support, r2_score)

rng = np.random.default_rng(7)
truth = rng.integers(0, 4, size=60)
pred = np.where(rng.random(60) < 0.6, truth, rng.integers(0, 4, size=60))
pred[pred == 3] = 2  # class 3 is never predicted: precision 0 by zero_division=0
p, r, f, s = precision_recall_fscore_support(truth, pred, labels=[0, 1, 2, 3], zero_division=0)

y = rng.normal(size=(25, 2)) * [1.0, 3.0] + [0.5, -2.0]
yhat = y + rng.normal(size=(25, 2)) * 0.4
print(json.dumps({
    "truth": truth.tolist(), "pred": pred.tolist(),
    "confusion": confusion_matrix(truth, pred, labels=[0, 1, 2, 3]).tolist(),
    "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
    "y": y.astype(np.float32).astype(float).tolist(),
    "yhat": yhat.astype(np.float32).astype(float).tolist(),
    "mse": mean_squared_error(y.astype(np.float32).astype(float), yhat.astype(np.float32).astype(float)),
    "mae": mean_absolute_error(y.astype(np.float32).astype(float), yhat.astype(np.float32).astype(float)),
    "r2": r2_score(y.astype(np.float32).astype(float), yhat.astype(np.float32).astype(float)),
}, indent=1))
