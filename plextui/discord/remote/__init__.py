"""The remote-command front end: who may do what, the audit log, the queue, and both intakes."""
