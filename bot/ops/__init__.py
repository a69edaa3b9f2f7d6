"""Operations (issue 7): metrics, health, structured logs, instances, backup — for running several
`onduty run --webhook` processes on one PostgreSQL database, or one process on SQLite."""
