"""The job model: what a submitter node stores, and what it resolves to."""
