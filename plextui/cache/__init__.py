"""Cache protocol with SQLite (default) and Redis backends."""
