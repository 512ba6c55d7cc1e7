#!/bin/sh
# Kernel start-up benchmark: starts rapaio-jupyter-kernel N times the stock way (its MainApp, alone
# and with RunKit's classpath) and N times through RunKit's launcher (the kernelspec `runkit kernel
# install` writes), alternating, so all meet the same machine load. Counts hangs (no kernel_info / execute reply within the timeout).
#   usage: [KERNELS="rjk-stock rjk-stock-cp runkit"] scripts/kernel-startup-bench.sh [STARTS=50] [TIMEOUT_S=30]
# Needs a build (mvn -B package -DskipTests) and Debian's Jupyter (/usr/bin/python3 with jupyter_client).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
starts=${1:-50}
timeout=${2:-30}
target="$here/toolkit/target"
work=$(mktemp -d /tmp/runkit-kernel-bench.XXXXXX)
# copy the build so a rebuild during the run cannot pull the classes from under the kernels
mkdir -p "$work/dist"
cp "$target"/runkit-toolkit-*.jar "$work/dist/"
cp -r "$target/lib" "$target/kernel" "$work/dist/"
jar=$(ls "$work"/dist/runkit-toolkit-*.jar | head -n 1)
kernel_jar=$(ls "$work"/dist/kernel/rapaio-jupyter-kernel-*.jar | head -n 1)
data="$work/jupyter"
mkdir -p "$data/kernels/rjk-stock"
cat > "$data/kernels/rjk-stock/kernel.json" <<JSON
{"argv": ["java", "-Djava.awt.headless=true", "-cp", "$kernel_jar", "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
 "display_name": "rapaio-jupyter-kernel (stock start)", "language": "java", "interrupt_mode": "message",
 "env": {"OMP_NUM_THREADS": "1"}}
JSON
java -cp "$jar:$work/dist/lib/*" dev.runkit.cli.Main kernel install --data-dir "$data" \
  --name runkit --kernel-jar "$kernel_jar"
# the stock start with RunKit's classpath: isolates what the launcher changes from what the bigger
# classpath costs
mkdir -p "$data/kernels/rjk-stock-cp"
sed -e 's/dev.runkit.cli.RapaioKernelLauncher/org.rapaio.jupyter.kernel.MainApp/' \
  -e 's/"display_name": "[^"]*"/"display_name": "rapaio stock start, RunKit classpath"/' \
  "$data/kernels/runkit/kernel.json" > "$data/kernels/rjk-stock-cp/kernel.json"
kernel_args=""
for k in ${KERNELS:-rjk-stock rjk-stock-cp runkit}; do kernel_args="$kernel_args --kernel $k"; done
JUPYTER_PATH="$data" JUPYTER_DATA_DIR="$data" JUPYTER_RUNTIME_DIR="$work/runtime" \
  /usr/bin/python3 "$here/scripts/kernel_startup_bench.py" $kernel_args \
  --starts "$starts" --timeout "$timeout" --logs "$work/logs"
