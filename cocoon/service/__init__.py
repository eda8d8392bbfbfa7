"""The service adapter: the scheduler, the alert mail and the structured logs."""
