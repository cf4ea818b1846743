"""The package chooser: the catalogue's host versions, each with the plug-in versions built
for it, as a checkable tree.

Plug-ins are shown under the host version they were built for, so a choice that cannot load
(a plug-in for another host version) is not on offer at all. From the keyboard: type in the
filter, Enter moves to the first match, Space checks it, Enter again accepts.
"""

from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from qtpy import QtCore, QtWidgets

ID_ROLE = QtCore.Qt.UserRole + 1


class PackageChooser(QtWidgets.QDialog):
    def __init__(
        self,
        catalogue: Any,
        selected: Sequence[str],
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(PackageChooser, self).__init__(parent)
        self.setObjectName("PackageChooser")
        self.setWindowTitle("Choose packages")
        self.resize(520, 420)
        self.tree = QtWidgets.QTreeWidget(self)
        self.tree.setObjectName("packages_tree")
        self.tree.setHeaderLabels(["Package", "Platform", "Id"])
        self.filter_edit = QtWidgets.QLineEdit(self)
        self.filter_edit.setObjectName("filter")
        self.filter_edit.setPlaceholderText("Filter (e.g. blender 4)")
        self.filter_edit.setToolTip("Show only packages whose name, version or id hold "
                                    "every word typed; Enter goes to the first match.")
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.filter_edit.installEventFilter(self)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.Ok | QtWidgets.QDialogButtonBox.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self._fill(catalogue, set(selected))
        # ids chosen before that this catalogue does not list survive a round trip
        known = set(self._all_ids())
        self._unknown = [package_id for package_id in selected if package_id not in known]

    def _fill(self, catalogue: Any, selected: Set[str]) -> None:
        products: Dict[str, QtWidgets.QTreeWidgetItem] = {}
        for host in sorted(catalogue.hosts(), key=lambda p: (p.product, _version_key(p))):
            parent = products.get(host.product)
            if parent is None:
                parent = QtWidgets.QTreeWidgetItem(self.tree, [host.product])
                parent.setFlags(QtCore.Qt.ItemIsEnabled)
                products[host.product] = parent
            item = self._item(parent, host, selected)
            for plugin in sorted(
                catalogue.plugins_for(host), key=lambda p: (p.product, _version_key(p))
            ):
                self._item(item, plugin, selected)
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)

    def _item(self, parent: Any, package: Any, selected: Set[str]) -> QtWidgets.QTreeWidgetItem:
        label = package.version if not package.is_plugin else package.label
        item = QtWidgets.QTreeWidgetItem(parent, [label, package.platform, package.package_id])
        item.setData(0, ID_ROLE, package.package_id)
        item.setToolTip(0, package.label)
        item.setFlags(
            QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable | QtCore.Qt.ItemIsUserCheckable
        )
        checked = package.package_id in selected
        item.setCheckState(0, QtCore.Qt.Checked if checked else QtCore.Qt.Unchecked)
        return item

    def _items(self) -> List[QtWidgets.QTreeWidgetItem]:
        result = []
        iterator = QtWidgets.QTreeWidgetItemIterator(self.tree)
        while iterator.value() is not None:
            item = iterator.value()
            if item.data(0, ID_ROLE):
                result.append(item)
            iterator += 1
        return result

    def _all_ids(self) -> List[str]:
        return [item.data(0, ID_ROLE) for item in self._items()]

    def item_for(self, package_id: str) -> QtWidgets.QTreeWidgetItem:
        for item in self._items():
            if item.data(0, ID_ROLE) == package_id:
                return item
        raise KeyError(package_id)

    def set_checked(self, package_id: str, checked: bool = True) -> None:
        state = QtCore.Qt.Checked if checked else QtCore.Qt.Unchecked
        self.item_for(package_id).setCheckState(0, state)

    def selected_ids(self) -> List[str]:
        chosen = [
            item.data(0, ID_ROLE)
            for item in self._items()
            if item.checkState(0) == QtCore.Qt.Checked
        ]
        return self._unknown + chosen

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Enter in the filter goes to the first match instead of accepting the dialog
        (which closed it before anything was checked)."""
        if watched is self.filter_edit and event.type() == QtCore.QEvent.KeyPress and \
                event.key() in (QtCore.Qt.Key_Return, QtCore.Qt.Key_Enter):
            self.focus_first_match()
            return True
        return bool(super(PackageChooser, self).eventFilter(watched, event))

    def focus_first_match(self) -> None:
        for item in self._items():
            if not item.isHidden():
                self.tree.setCurrentItem(item)
                break
        self.tree.setFocus()

    def _apply_filter(self, text: str) -> None:
        """Hide packages that do not hold every word; a host version stays shown while one of
        its plug-ins matches (hiding it would hide the plug-in too)."""
        words = text.lower().split()

        def matches(item: QtWidgets.QTreeWidgetItem) -> bool:
            haystack = "{} {}".format(item.toolTip(0), item.text(2)).lower()
            return all(word in haystack for word in words)

        for item in self._items():
            children = [item.child(i) for i in range(item.childCount())]
            shown = matches(item) or any(matches(child) for child in children)
            item.setHidden(not shown)


def _version_key(package: Any) -> Tuple[Tuple[int, int, str], ...]:
    parts = []
    for part in (package.major_version, package.minor_version, package.release_version,
                 package.build_version):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(parts)
