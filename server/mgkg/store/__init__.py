"""Where the graph lives once loaded, and the only place SPARQL runs on it (knows nothing of HTTP)."""
