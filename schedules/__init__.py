from schedules import duty as _duty  # noqa: F401  (registers the "duty" and "patrol" due kinds)
from schedules import escalation as _escalation  # noqa: F401  (registers the "escalation" due kind)
from schedules import filed as _filed  # noqa: F401  (registers the "filed" due kind)
from schedules import tracking as _tracking  # noqa: F401  (registers the "tracking" due kind)
