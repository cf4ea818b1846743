"""The ``farmhand`` command: one module per group of subcommands."""
