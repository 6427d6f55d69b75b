"""Controller: runs a Command against the services; the one home of behaviour."""
