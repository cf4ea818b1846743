+ farmhand 0.1.0 .
MAYA_PLUG_IN_PATH +:= plug-ins
PYTHONPATH +:= ../../..
