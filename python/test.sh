#!/usr/bin/env bash
# Builds the Python module as a wheel, installs it into a virtualenv and runs python/tests with
# pytest, against the thresh CLI of the same checkout (built here too).
#
#   python/test.sh [PYTEST ARGS...]
#
# Environment: PYTHON (default python3), THRESH_VENV (default python/.venv, kept between runs),
# THRESH_PY_PROFILE=release|debug (default release). The module builds in the top-level
# target/ folder, so it reuses the library and the dependencies the CLI's build compiled.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
venv="${THRESH_VENV:-$root/python/.venv}"
profile="${THRESH_PY_PROFILE:-release}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

case "$profile" in
release) cargo_flag=(--release) ;;
debug) cargo_flag=() ;;
*)
    echo "python/test.sh: THRESH_PY_PROFILE must be release or debug, not $profile" >&2
    exit 2
    ;;
esac

if [ ! -x "$venv/bin/python" ]; then
    echo "== python: virtualenv $venv"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.9.4,<2' 'pytest>=8' 'mypy>=1.10'

echo "== python: thresh CLI ($profile), the reference the tests compare against"
cargo build --locked "${cargo_flag[@]}" --quiet --bin thresh --manifest-path "$root/Cargo.toml"

echo "== python: build and install the module ($profile wheel)"
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
start=$SECONDS
"$venv/bin/maturin" build --locked "${cargo_flag[@]}" --quiet \
    --manifest-path "$root/python/Cargo.toml" --interpreter "$venv/bin/python" --out "$wheels"
echo "built in $((SECONDS - start)) s: $(cd "$wheels" && ls)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-index \
    --force-reinstall "$wheels"/*.whl

echo "== python: pytest"
# From a folder outside python/, so `import thresh` finds the installed wheel and not the
# source folder python/thresh/.
cd "$wheels"
THRESH_BIN="$CARGO_TARGET_DIR/$profile/thresh" \
    "$venv/bin/python" -m pytest -p no:cacheprovider -rs "$root/python/tests" "$@"
