"""What makes a run cheap, around the stages: the cache store, the parse and module caches,
the stamp of the last run (the no-op check), the process pool, and watching for changes."""
