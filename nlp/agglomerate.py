"""Average- (or other) linkage clustering of a score matrix, the one cut both the batch and the live path use."""

from __future__ import annotations

import numpy as np


def agglomerate(scores: np.ndarray, threshold: float, linkage: str) -> np.ndarray:
    """Agglomerative labels from a score matrix (distance = 1 − score, cut at ``threshold``)."""
    from scipy.cluster.hierarchy import fcluster
    from scipy.cluster.hierarchy import linkage as scipy_linkage
    from scipy.spatial.distance import squareform

    n = len(scores)
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    dist = scores.astype(np.float64)  # the one full-size copy; the rest happens in place
    np.subtract(1.0, dist, out=dist)
    np.maximum(dist, 0.0, out=dist)
    dist += dist.T  # numpy buffers the overlapping transpose
    dist /= 2
    np.fill_diagonal(dist, 0.0)
    tree = scipy_linkage(squareform(dist, checks=False), method=linkage)
    return fcluster(tree, t=threshold, criterion="distance").astype(np.int64) - 1
