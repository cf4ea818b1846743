"""OpenJD (AWS Deadline Cloud): job bundles."""
