"""The preview dialog: exactly what will be submitted, checked before it is."""
