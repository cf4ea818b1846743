"""What each application's job takes: the seed's per-application parameter tables.

``APPS`` maps the product code (``blender``, ``c4d``, ``hou``, ``maya``, ``nuke``, ``vray``)
to its operations and its parameters, each with its type and whether it is required, so a
misspelt or missing parameter is refused when the ``Job`` is made, naming the valid ones.
"""

from typing import Any, Dict, NamedTuple, Tuple

from farmhand.api.envoy.errors import InvalidRequestError


class Param(NamedTuple):
    kind: str  # "str", "int", "bool", "list", "dict", "number"
    required: bool = False
    choices: Tuple[Any, ...] = ()


class AppSpec(NamedTuple):
    name: str
    operations: Tuple[str, ...]
    params: Dict[str, Param]
    default_operation: str = "render"


_OUTPUT = {
    "output_prefix": Param("str", True),
    "output_format": Param("str", True),
}
_SIZE = {"output_width": Param("int", True), "output_height": Param("int", True)}

APPS: Dict[str, AppSpec] = {
    "blender": AppSpec(
        "Blender",
        ("render",),
        dict(frames=Param("str", True), engine=Param("str"), gpu=Param("bool"), **_OUTPUT),
    ),
    # output_prefix is optional for C4D: the seed's own Cinema 4D example passes none (the
    # images are then named after the scene, ``commands.cinema4d``).
    "c4d": AppSpec(
        "Cinema 4D",
        ("render",),
        dict(
            frames=Param("str", True),
            output_multipass_prefix=Param("str"),
            gpu=Param("bool"),
            output_prefix=Param("str"),
            output_format=Param("str", True),
            **_SIZE,
        ),
    ),
    "hou": AppSpec(
        "Houdini",
        ("render", "batch"),
        {
            "frames": Param("str", True),
            "rop_nodetype": Param("str", True),
            "rop_nodepath": Param("str", True),
            "take": Param("str"),
            "output_upload": Param("list"),
            "disk_output_ext": Param("str"),
            "disk_output_mode": Param("str"),
            "disk_output_parm": Param("str"),
            "disk_output_path": Param("str"),
            "disk_output_renderer": Param("str"),
            "disk_output_path_parm": Param("str"),
            "gpu": Param("bool"),
        },
    ),
    "maya": AppSpec(
        "Maya",
        ("render",),
        dict(
            frames=Param("str", True),
            camera=Param("str"),
            renderer=Param("str"),
            gpu=Param("bool"),
            **_OUTPUT,
            **_SIZE,
        ),
    ),
    "nuke": AppSpec("Nuke", ("render",), {"frames": Param("str", True), "gpu": Param("bool")}),
    "vray": AppSpec(
        "V-Ray",
        ("render",),
        dict(
            frames=Param("str", True),
            rt_engine=Param("int", choices=(0, 1, 3, 5)),
            sampling_type=Param("str", choices=("progressive", "bucket")),
            remap_file=Param("str"),
            **_OUTPUT,
            **_SIZE,
        ),
    ),
}
# What the client adds itself (the seed's own client sends them; a script may set them).
CLIENT_PARAMS = {
    "output_dir_name": Param("str"),
    "output_upload": Param("list"),
    "billing_meta": Param("list"),
}
TYPE_NAMES = {
    "str": "a string",
    "int": "a whole number",
    "bool": "true or false",
    "list": "a list of strings",
    "dict": "an object",
    "number": "a number",
}


def app_spec(app: object) -> AppSpec:
    if app not in APPS:
        raise InvalidRequestError(
            "unknown product type {!r}; valid product types: {}".format(
                app, ", ".join("{} ({})".format(code, APPS[code].name) for code in APPS)
            ),
            field="app",
        )
    return APPS[str(app)]


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    if kind == "dict":
        return isinstance(value, dict)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_params(app: str, params: Dict[str, Any]) -> None:
    """Every parameter known, of its type and among its choices; the required ones given."""
    spec = app_spec(app)
    known = dict(CLIENT_PARAMS)
    known.update(spec.params)
    for name in sorted(params):
        value = params[name]
        param = known.get(name)
        if param is None:
            raise InvalidRequestError(
                "unknown parameter for {} jobs; valid parameters: {}".format(
                    spec.name, ", ".join(sorted(spec.params))
                ),
                field=name,
            )
        if not _type_ok(param.kind, value):
            raise InvalidRequestError(
                "expected {}, got {!r}".format(TYPE_NAMES[param.kind], value), field=name
            )
        if param.choices and value not in param.choices:
            raise InvalidRequestError(
                "{!r} is not one of {}".format(value, ", ".join(repr(c) for c in param.choices)),
                field=name,
            )
        if param.kind == "int" and name.startswith("output_") and value < 1:
            raise InvalidRequestError("must be at least 1, got {}".format(value), field=name)
    missing = [name for name, param in spec.params.items() if param.required and name not in params]
    if missing:
        raise InvalidRequestError(
            "{} jobs need {}".format(spec.name, ", ".join(missing)), field=missing[0]
        )
