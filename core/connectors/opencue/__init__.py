"""OpenCue: job specs built with pyoutline."""
