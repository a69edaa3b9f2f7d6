from schedules import escalation as _escalation  # noqa: F401  (registers the "escalation" due kind)
