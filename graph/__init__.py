"""newsgraph's graph layer: the shared model, settings, errors and the store."""
