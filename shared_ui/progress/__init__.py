"""The submission progress dialog: hashing, uploading and submitting off the UI thread."""
