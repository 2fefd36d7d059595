#!/usr/bin/env bash
# Build the offline install bundle: a wheelhouse with every runtime dependency (from pyproject.toml),
# the CPU build of torch and the project wheel, plus the model sets, the sample archive, .env.example
# and install.sh. Copy the folder to a machine without network and run its install.sh.
#
#   scripts/bundle.sh [OUT_DIR]          (default: bundle/ in the repository; `make bundle`)
#
# Environment:
#   PYTHON           interpreter the wheels are for (default python3); the target machine needs the same
#                    Python minor version, OS family and CPU architecture
#   TORCH_SPEC       default torch==2.13.0
#   TORCH_INDEX_URL  index to fetch torch from: PyTorch's CPU wheel index (see Dockerfile.cpu) where the
#                    default index would give the CUDA build; empty = pip's configured indexes
#   MODELS_SRC       model directory to bundle (default: models/ of the repository)
#   ALLOW_CUDA_TORCH=1  accept a CUDA build of torch (a multi-GB bundle) instead of failing
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/bundle}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
TORCH_INDEX_URL=${TORCH_INDEX_URL:-}
MODELS_SRC=${MODELS_SRC:-$ROOT/models}
MARKER=.news-service-bundle

log() { printf '[bundle] %s\n' "$*" >&2; }
die() { printf '[bundle] error: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON)"
"$PYTHON" -m pip --version >/dev/null 2>&1 || die "$PYTHON has no pip"
start=$(date +%s)

# Never delete a folder that is not a bundle made by this script.
if [ -e "$OUT" ]; then
  if [ -f "$OUT/$MARKER" ] || [ -z "$(ls -A "$OUT" 2>/dev/null)" ]; then
    rm -rf "$OUT"
  else
    die "$OUT exists and is not a bundle (no $MARKER); choose another OUT_DIR"
  fi
fi
mkdir -p "$OUT/wheels" "$OUT/models" "$OUT/data/archive"
touch "$OUT/$MARKER"
WHEELS=$OUT/wheels

# 1. The project wheel, built from a clean copy (no build/ or egg-info left in a shared work tree).
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$src/"
cp -r "$ROOT/app" "$src/app"
find "$src" -name __pycache__ -prune -exec rm -rf {} +
log "building the project wheel"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WHEELS" "$src"
project_wheel=$(ls "$WHEELS"/news_service-*.whl)

# 2. torch, by itself first, so the CPU build is the one the resolver sees.
log "fetching $TORCH_SPEC${TORCH_INDEX_URL:+ from $TORCH_INDEX_URL}"
torch_args=()
[ -n "$TORCH_INDEX_URL" ] && torch_args=(--index-url "$TORCH_INDEX_URL")
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --dest "$WHEELS" "${torch_args[@]}" "$TORCH_SPEC"
torch_wheel=$(ls "$WHEELS"/torch-*.whl)

# 3. Every other runtime dependency as a wheel (sdists are built here, so the target needs no compiler).
log "collecting the runtime dependencies of $(basename "$project_wheel")"
"$PYTHON" -m pip wheel --quiet --wheel-dir "$WHEELS" --find-links "$WHEELS" "$project_wheel" "$torch_wheel"
if compgen -G "$WHEELS/nvidia_*" >/dev/null; then
  [ "${ALLOW_CUDA_TORCH:-0}" = 1 ] || die "$(basename "$torch_wheel") is a CUDA build (it pulls the nvidia-* \
wheels, GBs); set TORCH_INDEX_URL to PyTorch's CPU index, or ALLOW_CUDA_TORCH=1 to keep it"
fi

# 4. Model sets (directories with a config.json), the sample archive, the settings template.
n_models=0
if [ -d "$MODELS_SRC" ]; then
  for dir in "$MODELS_SRC"/*/; do
    [ -f "$dir/config.json" ] || continue
    cp -r "${dir%/}" "$OUT/models/"
    n_models=$((n_models + 1))
  done
fi
[ "$n_models" -gt 0 ] || log "warning: no model directory under $MODELS_SRC; the bundle will use the keyword fallback"
cp "$ROOT"/data/archive/*.jsonl "$OUT/data/archive/"
cp "$ROOT/.env.example" "$OUT/.env.example"

# 5. install.sh and a manifest.
cat > "$OUT/install.sh" <<'INSTALL'
#!/usr/bin/env bash
# Install news-service from this bundle with no network: ./install.sh [VENV_DIR]   (default: ./venv)
# pip is told not to use any index (--no-index, PIP_NO_INDEX=1) and to ignore pip configuration files,
# so every package comes from ./wheels. INSTALL_NO_COMPILE=1 skips byte-compiling (a faster install;
# modules are compiled on first import instead).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case ${1:-} in -h|--help) sed -n '2,5p' "$0"; exit 0 ;; esac
VENV=${1:-$HERE/venv}
PYTHON=${PYTHON:-python3}
want=$(sed -n 's/^python: //p' "$HERE/MANIFEST.txt")
have=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$want" != "$have" ]; then
  echo "install.sh: the wheels are for Python $want but $PYTHON is $have (set PYTHON=python$want)" >&2
  exit 1
fi
"$PYTHON" -m venv "$VENV"
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS
extra=()
[ "${INSTALL_NO_COMPILE:-0}" = 1 ] && extra=(--no-compile)
"$VENV/bin/python" -m pip install --quiet --no-index --find-links "$HERE/wheels" "${extra[@]}" news-service
"$VENV/bin/python" -m pip check
cat <<EOF
news-service installed in $VENV. Start it (embedded mode, offline archive, bundled models):
  cd $HERE
  MODELS_DIR=$HERE/models NEWS_ARCHIVE_PATH=$HERE/data/archive/sample_news.jsonl $VENV/bin/news-service serve
Settings: copy $HERE/.env.example to .env in the directory you start it from (docs/deployment.md).
EOF
INSTALL
chmod +x "$OUT/install.sh"

{
  echo "news-service offline bundle"
  echo "project: $(basename "$project_wheel")"
  echo "torch: $(basename "$torch_wheel")"
  echo "python: $("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  echo "platform: $("$PYTHON" -c 'import sysconfig; print(sysconfig.get_platform())')"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "models: $(find "$OUT/models" -mindepth 1 -maxdepth 1 -type d -printf '%f ' | sort)"
  echo "wheels:"
  find "$WHEELS" -maxdepth 1 -name '*.whl' -printf '  %f\n' | sort
} > "$OUT/MANIFEST.txt"

log "done in $(( $(date +%s) - start )) s: $OUT ($(du -sh "$OUT" | cut -f1), $(find "$WHEELS" -maxdepth 1 -name '*.whl' | wc -l) wheels, $n_models model directories)"
