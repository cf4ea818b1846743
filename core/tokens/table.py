"""Every ``<token>`` a template may use, with its scope, as the seeds' token tables list them.

Scopes nest: a tile sees every task token, a task every job token, a job every global token.
The table is the single source for validation (which tokens a field may use), the submitter's
token reference and the documentation, so the three never disagree.
"""

from typing import Dict, NamedTuple, Tuple

SCOPES = ("global", "job", "task", "tile")
"""Scopes from the widest to the narrowest."""


class TokenInfo(NamedTuple):
    name: str
    scope: str
    description: str
    example: str


TOKENS = (
    TokenInfo("pdir", "global", "the project (scene) folder", "/path/to/project"),
    TokenInfo("temp_dir", "global", "the submitter's temporary folder, quoted", '"/path/to/temp"'),
    TokenInfo(
        "render_package",
        "global",
        "the render package the host wrote, quoted",
        '"/path/to/project/shot.render"',
    ),
    TokenInfo("sequencelength", "job", "number of frames in the job", "10"),
    TokenInfo("sequence", "job", "the job's frames as a canonical spec", "1-10"),
    TokenInfo("sequencemin", "job", "first frame", "1"),
    TokenInfo("sequencemax", "job", "last frame", "10"),
    TokenInfo("cores", "job", "cores of the instance type", "2"),
    TokenInfo("flavor", "job", "flavor of the instance type", "standard"),
    TokenInfo("instance", "job", "description of the instance type", "2 core, 7.50GB Mem"),
    TokenInfo("preemptible", "job", "preemptible or non-preemptible", "preemptible"),
    TokenInfo("retries", "job", "retries of a failed task", "3"),
    TokenInfo("job", "job", "name of the job node", "farmhand_job"),
    TokenInfo(
        "sources",
        "job",
        "the images or layers rendered, space separated",
        "project://scene/image1 project://scene/image2",
    ),
    TokenInfo("scout", "job", "scout frames as a canonical spec", "3-8x5"),
    TokenInfo("chunksize", "job", "resolved chunk size", "2"),
    TokenInfo("chunkcount", "job", "number of chunks", "5"),
    TokenInfo("scoutcount", "job", "number of scout frames", "2"),
    TokenInfo(
        "timestamp", "job", "submission time, one value per submission", "2019_05_07_01_12_46"
    ),
    TokenInfo("submitter", "job", "name of the submitting node", "farmhand_job"),
    TokenInfo("project", "job", "the farm project", "harry_potter"),
    TokenInfo(
        "directories",
        "job",
        "output folders, each quoted, space separated",
        '"/path/to/renders/layerA" "/path/to/renders/layerB"',
    ),
    TokenInfo("tiles", "job", "number of tiles per frame", "9"),
    TokenInfo(
        "chunks", "task", "start:end of the chunk, once per source, space separated", "9:10 9:10"
    ),
    TokenInfo("chunklength", "task", "number of frames in the chunk", "2"),
    TokenInfo("chunkstart", "task", "first frame of the chunk", "9"),
    TokenInfo("chunkend", "task", "last frame of the chunk", "10"),
    TokenInfo("chunkstep", "task", "step of a regular chunk (1 for an irregular one)", "1"),
    TokenInfo(
        "chunktype",
        "task",
        "regular (one arithmetic progression) or irregular",
        "regular",
    ),
    TokenInfo("tile_number", "tile", "the tile rendered, from 1", "1"),
)

TOKEN_SCOPE: Dict[str, str] = {info.name: info.scope for info in TOKENS}


def scope_rank(scope: str) -> int:
    """0 for global up to 3 for tile; ValueError names the valid scopes."""
    try:
        return SCOPES.index(scope)
    except ValueError:
        raise ValueError(
            "unknown token scope {!r}; valid scopes: {}".format(scope, ", ".join(SCOPES))
        ) from None


def tokens_visible_in(scope: str) -> Tuple[str, ...]:
    """The tokens a template of ``scope`` may use, in table order (its own and wider scopes)."""
    rank = scope_rank(scope)
    return tuple(info.name for info in TOKENS if SCOPES.index(info.scope) <= rank)


def tokens_of_scope(scope: str) -> Tuple[str, ...]:
    """The tokens defined at exactly ``scope``."""
    scope_rank(scope)
    return tuple(info.name for info in TOKENS if info.scope == scope)
