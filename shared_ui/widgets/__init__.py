"""Small reusable widgets the sections are built from."""
