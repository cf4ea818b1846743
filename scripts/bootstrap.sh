#!/usr/bin/env bash
# Sets up everything `make test` and `make demo` need, on a fresh Debian machine of this kind.
#
#   scripts/bootstrap.sh system   Debian packages (Blender, PySide2, Slurm, munge, fonts...)
#   scripts/bootstrap.sh main     .venv: Debian's Python 3, PySide6 from PyPI, all test tools
#   scripts/bootstrap.sh qt5      .venv-qt5: Debian's Python with its PySide2, pytest-qt < 4.5
#   scripts/bootstrap.sh pyenv    .venv-py37 / .venv-py313: the oldest and newest host Pythons
#   scripts/bootstrap.sh all      all of the above
#
# Each step is idempotent and cheap when already done (stamp files hold a hash of the inputs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

DEBIAN_PACKAGES=(
    python3 python3-venv python3-dev
    python3-pyside2.qtcore python3-pyside2.qtgui python3-pyside2.qtwidgets python3-pyside2.qttest
    blender
    slurmctld slurmd slurm-client munge
    fonts-dejavu-core fontconfig
    tcl
    strace
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libfontconfig1
)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

system() {
    local missing=()
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# stamp NAME INPUTS...: true when .stamps/NAME matches the hash of the inputs.
stamp_hash() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
stamp_ok() { local name=$1; shift; [ -f ".stamps/$name" ] && [ "$(cat ".stamps/$name")" = "$(stamp_hash "$@")" ]; }
stamp_set() { local name=$1; shift; mkdir -p .stamps; stamp_hash "$@" > ".stamps/$name"; }

INPUTS=(setup.py pyproject.toml requirements/main.txt requirements/qt5.txt requirements/host.txt scripts/bootstrap.sh)

# pip_in VENV ARGS...: pip install, quiet unless it fails (then its whole output is shown).
pip_in() {
    local out
    if ! out="$("$1/bin/python" -m pip install -q --disable-pip-version-check "${@:2}" 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "pip install ${*:2} failed in $1"
    fi
}

# What the editable install depends on: which files the packages hold (the links follow
# their contents), and the version and metadata.
tree_hash() {
    {
        find src core api cli farm shared_ui plugins startup \
            -name __pycache__ -prune -o -type f ! -name '*.pyc' -print | LC_ALL=C sort
        cat setup.py pyproject.toml src/farmhand/_version.py
    } | sha256sum | cut -c1-16
}

editable() {
    # `strict` mode puts a tree of links under build/, which mypy and every tool can follow
    # (the default mode installs an import hook that only the interpreter understands).
    # pip rebuilds that tree from scratch, and every virtualenv shares it: a process importing
    # from it meanwhile (another engineer's tests) finds modules missing. So it is rebuilt
    # only when a file was added or removed (`make dev`), not on every `make test`.
    local stamp=".stamps/tree-${1#.}" want
    want="$(tree_hash)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && "$1/bin/python" -c "import farmhand.core" 2>/dev/null; then
        return 0
    fi
    pip_in "$1" --no-deps --no-build-isolation -e . --config-settings editable_mode=strict
    mkdir -p .stamps
    printf '%s\n' "$want" > "$stamp"
}

main_venv() {
    local venv=.venv
    if stamp_ok main "${INPUTS[@]}" && [ -x "$venv/bin/python" ]; then
        editable "$venv" >/dev/null
        return 0
    fi
    log "creating $venv (Debian's Python, PySide6 from PyPI)"
    [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
    pip_in "$venv" --upgrade pip setuptools wheel
    pip_in "$venv" -r requirements/main.txt
    editable "$venv"
    stamp_set main "${INPUTS[@]}"
}

qt5_venv() {
    local venv=.venv-qt5
    if stamp_ok qt5 "${INPUTS[@]}" && [ -x "$venv/bin/python" ]; then
        editable "$venv" >/dev/null
        return 0
    fi
    log "creating $venv (Debian's Python with Debian's PySide2)"
    [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
    pip_in "$venv" --upgrade pip setuptools wheel
    pip_in "$venv" -r requirements/qt5.txt
    editable "$venv"
    "$venv/bin/python" -c "import PySide2" || die "$venv cannot import Debian's PySide2"
    stamp_set qt5 "${INPUTS[@]}"
}

pyenv_python() {
    local want=$1 root
    root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
    local found
    found="$(ls -d "$root"/versions/"$want".* 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$found" ] || die "pyenv has no Python $want (looked in $root/versions)"
    echo "$found/bin/python"
}

host_venv() {
    local version=$1 venv=$2
    if stamp_ok "$venv" "${INPUTS[@]}" && [ -x "$venv/bin/python" ]; then
        editable "$venv" >/dev/null
        return 0
    fi
    local python
    python="$(pyenv_python "$version")"
    log "creating $venv ($python)"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    pip_in "$venv" --upgrade pip setuptools wheel
    pip_in "$venv" -r requirements/host.txt
    editable "$venv"
    stamp_set "$venv" "${INPUTS[@]}"
}

case "${1:-all}" in
    system) system ;;
    main) main_venv ;;
    qt5) qt5_venv ;;
    pyenv) host_venv 3.7 .venv-py37; host_venv 3.13 .venv-py313 ;;
    all) system; main_venv; qt5_venv; host_venv 3.7 .venv-py37; host_venv 3.13 .venv-py313 ;;
    *) die "unknown step '$1' (valid: system, main, qt5, pyenv, all)" ;;
esac
