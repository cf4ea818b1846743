"""The farm monitor: jobs and tasks of a farm with their logs, and the actions on them."""
