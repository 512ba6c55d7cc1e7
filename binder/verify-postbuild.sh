#!/bin/bash
# Reproduces what Binder (repo2docker) does with binder/, on a machine that cannot reach Binder:
#   1. checks that the packages of binder/apt.txt are installed here (repo2docker apt-installs them);
#   2. copies the repository's files (tracked and untracked-but-not-ignored, as a clone would have
#      them, without build outputs) into the home of a fresh throwaway user;
#   3. runs binder/postBuild as that user, in that fresh HOME, with Maven offline on a copy of the
#      local Maven repository (Binder downloads instead);
#   4. executes one notebook headless with the kernel postBuild installed, chosen by the name in the
#      notebook's own metadata (no --ExecutePreprocessor.kernel_name), and checks its outputs;
#   5. removes the user and everything it made, however the script ends.
#
# Usage (as root, from anywhere in the checkout; about 1-2 minutes):
#   binder/verify-postbuild.sh [NOTEBOOK]        default NOTEBOOK: notebooks/01-quickstart.ipynb
# Environment: M2_REPO (default ~/.m2/repository) is the Maven repository copied for offline builds.
# Exit status 0 when every step passed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
notebook=${1:-notebooks/01-quickstart.ipynb}
m2=${M2_REPO:-$HOME/.m2/repository}
jupyter=/usr/bin/jupyter

if [ "$(id -u)" -ne 0 ]; then
  echo "verify-postbuild: run as root (it creates and removes a throwaway user)" >&2
  exit 2
fi
for tool in "$jupyter" useradd userdel runuser git; do
  command -v "$tool" >/dev/null || { echo "verify-postbuild: $tool not found" >&2; exit 2; }
done
[ -d "$m2" ] || { echo "verify-postbuild: no Maven repository at $m2 (set M2_REPO)" >&2; exit 2; }
[ -f "$repo/$notebook" ] || { echo "verify-postbuild: no notebook $notebook" >&2; exit 2; }

user="rkbinder$$"
base=$(mktemp -d /tmp/runkit-binder-XXXXXX)
home="$base/home"
chmod 755 "$base"   # mktemp makes it private to root; the user must reach its HOME
cleanup() {
  status=$?
  # a kernel may linger a few seconds after nbconvert: end the throwaway user's processes, each by id
  for pid in $(pgrep -u "$user" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  sleep 1
  userdel -r "$user" >/dev/null 2>&1 || true
  rm -rf "$base"
  if [ $status -eq 0 ]; then echo "verify-postbuild: PASSED"; else echo "verify-postbuild: FAILED ($status)" >&2; fi
}
trap cleanup EXIT
start=$(date +%s)

echo "== 1. apt.txt packages"
while read -r pkg; do
  case "$pkg" in ''|'#'*) continue ;; esac
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    echo "   $pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
  else
    echo "verify-postbuild: apt.txt package $pkg is not installed here" >&2
    exit 1
  fi
done < "$repo/binder/apt.txt"

echo "== 2. fresh user $user, HOME $home, repository copy"
useradd --create-home --home-dir "$home" --shell /bin/bash "$user"
mkdir -p "$home/repo" "$home/.m2"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard \
  | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
  | tar --null -T - -cf -) | tar -xf - -C "$home/repo"
cp -r "$m2" "$home/.m2/repository"
cat > "$home/.m2/settings.xml" <<EOF
<settings>
  <localRepository>$home/.m2/repository</localRepository>
  <offline>true</offline>
</settings>
EOF
chown -R "$user:$user" "$home"
[ ! -e "$home/repo/toolkit/target" ] || { echo "verify-postbuild: build outputs were copied" >&2; exit 1; }

as_user() {
  runuser -u "$user" -- env -i HOME="$home" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin \
    LANG=C.UTF-8 bash -c "$1"
}

echo "== 3. binder/postBuild as $user"
as_user "cd '$home/repo' && ./binder/postBuild"
spec="$home/.local/share/jupyter/kernels/runkit/kernel.json"
[ -f "$spec" ] || { echo "verify-postbuild: postBuild installed no kernelspec at $spec" >&2; exit 1; }
echo "   kernelspec: $spec"
as_user "PYDEVD_DISABLE_FILE_VALIDATION=1 $jupyter kernelspec list 2>/dev/null" | sed 's/^/   /'

echo "== 4. execute $notebook with the kernel named in its metadata"
out="$home/executed"
log="$base/nbconvert.log"
if ! as_user "mkdir -p '$out' && cd '$home/repo/$(dirname "$notebook")' && $jupyter nbconvert --to notebook --execute \
  '$(basename "$notebook")' --output-dir '$out' --ExecutePreprocessor.timeout=300 \
  --ExecutePreprocessor.startup_timeout=120" > "$log" 2>&1; then
  tail -n 40 "$log" | sed 's/^/   /' >&2
  echo "verify-postbuild: nbconvert failed" >&2
  exit 1
fi
grep 'Writing' "$log" | sed 's/^/   /'
executed="$out/$(basename "$notebook")"
/usr/bin/python3 - "$executed" <<'EOF'
import json, sys
nb = json.load(open(sys.argv[1]))
outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
errors = [o for o in outputs if o["output_type"] == "error"]
pngs = sum("image/png" in o.get("data", {}) for o in outputs)
tables = sum("<table" in "".join(o.get("data", {}).get("text/html", "")) for o in outputs)
kernel = nb["metadata"]["kernelspec"]["name"]
print(f"   kernel {kernel}: {len(outputs)} outputs, {tables} HTML tables, {pngs} PNG charts, {len(errors)} errors")
for e in errors:
    print(f"   {e['ename']}: {e['evalue'][:500]}")
sys.exit(1 if errors or pngs == 0 or tables == 0 else 0)
EOF
echo "   took $(( $(date +%s) - start )) s"
