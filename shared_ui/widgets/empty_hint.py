"""A line of grey text inside an empty list or table saying what goes there.

An empty white box tells an artist nothing (is it broken, loading, optional?); the hint says
what the list is for and how to fill it, and disappears with the first row. It is a label
laid over the view's viewport, shown while the view's model has no rows, so it needs no
painting code and follows the view's size.
"""

from typing import Any

from qtpy import QtCore, QtGui, QtWidgets

MARGIN = 8


def hint_palette(palette: QtGui.QPalette) -> QtGui.QPalette:
    """Text halfway between the view's text and its background: readable, and plainly not
    an entry (the palette's placeholder colour is translucent, which Qt 5 draws opaque)."""
    text = palette.color(QtGui.QPalette.Text)
    base = palette.color(QtGui.QPalette.Base)
    grey = QtGui.QColor(
        (text.red() + base.red()) // 2,
        (text.green() + base.green()) // 2,
        (text.blue() + base.blue()) // 2,
    )
    for role in (QtGui.QPalette.WindowText, QtGui.QPalette.Text):  # a viewport's child: Text
        palette.setColor(role, grey)
    return palette


class EmptyHint(QtCore.QObject):
    def __init__(self, view: QtWidgets.QAbstractItemView, text: str) -> None:
        super(EmptyHint, self).__init__(view)
        self.label = QtWidgets.QLabel(text, view.viewport())
        self.label.setObjectName("empty_hint")
        self.label.setWordWrap(True)
        self.label.setAlignment(QtCore.Qt.AlignCenter)
        self.label.setAttribute(QtCore.Qt.WA_TransparentForMouseEvents, True)
        self.label.setPalette(hint_palette(self.label.palette()))
        view.viewport().installEventFilter(self)
        self._model: Any = None
        self.watch_model()
        self.update()

    def text(self) -> str:
        return str(self.label.text())

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.update()

    @property
    def view(self) -> Any:
        # the parent, not an attribute: a child holding its parent makes a cycle through the
        # binding's own parent-to-child references, and collecting such cycles has crashed
        # PySide2
        return self.parent()

    def is_shown(self) -> bool:
        return not self.label.isHidden()

    def watch_model(self) -> None:
        """Follow the view's model (call again if the view is given another model)."""
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset,
                       model.layoutChanged):
            signal.connect(self.update)

    def update(self, *args: Any) -> None:
        try:
            model = self.view.model()
        except (RuntimeError, AttributeError):
            # a list clears its model while it is being destroyed; the binding has already
            # let go of the view by then, and there is nothing left to show a hint in
            return
        empty = model is None or model.rowCount() == 0
        self.label.setVisible(empty and bool(self.label.text()))
        self._fit()

    def _fit(self) -> None:
        if self.view is None:
            return
        area = self.view.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        self.label.setGeometry(area)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QtCore.QEvent.Resize:
            self._fit()
        return False
