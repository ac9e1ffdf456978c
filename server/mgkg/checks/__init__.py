"""Is the source right? Offline checks of the RDF files and their reports (knows nothing of HTTP)."""
