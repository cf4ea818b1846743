"""The metadata table: a ``Dict[str, str]`` field as rows of key and value.

Rows keep the order the user typed; a key typed twice is reported instead of one value
silently replacing the other.
"""

from typing import Dict, List, Optional, Set, Tuple

from qtpy import QtWidgets

from farmhand.shared_ui.widgets.editable_table import EditableTable


class KeyValueTable(EditableTable):
    def __init__(
        self,
        headers: Tuple[str, str] = ("Key", "Value"),
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(KeyValueTable, self).__init__(headers, parent=parent)

    def value(self) -> Dict[str, str]:
        return {key.strip(): value for key, value in self.rows() if key.strip()}

    def set_value(self, value: Dict[str, str]) -> None:
        self.set_rows((str(key), str(item)) for key, item in value.items())

    def duplicate_keys(self) -> List[str]:
        seen: Set[str] = set()
        duplicates = []
        for key, _ in self.rows():
            key = key.strip()
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        return duplicates
