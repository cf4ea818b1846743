"""A fake ``maya.api.OpenMaya``: the plug-in function set, recording what it was told."""

PLUGINS = []


class MFnPlugin(object):
    def __init__(self, plugin, vendor="", version=""):
        self.plugin = plugin
        self.vendor = vendor
        self.version = version
        PLUGINS.append(self)
