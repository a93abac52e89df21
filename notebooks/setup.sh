#!/usr/bin/env bash
# One command for the notebooks: a virtualenv (notebooks/.venv) with JupyterLab, nbclient,
# nbconvert and the JJava kernel; the project compiled; and a kernel "homl-java" whose classpath is
# target/classes plus every dependency jar (from `mvn dependency:build-classpath`) and whose working
# directory is the project root, so savedmodels/ and data/ resolve as they do for the CLI.
# Then: notebooks/.venv/bin/jupyter lab notebooks/
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
venv="$root/notebooks/.venv"

if [ ! -x "$venv/bin/jupyter-lab" ] || [ ! -f "$venv/share/jupyter/kernels/java/jjava.jar" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r notebooks/requirements.txt
fi

mvn -q -B compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="$root/target/classes:$(cat target/classpath.txt)"

kernel="$venv/share/jupyter/kernels/homl-java"
mkdir -p "$kernel"
jjava="$venv/share/jupyter/kernels/java"
cat > "$kernel/launch.sh" <<LAUNCH
#!/usr/bin/env bash
# written by notebooks/setup.sh: runs the JJava kernel from the project root
cd "$root"
export JJAVA_CLASSPATH="$classpath"
exec java -jar "$jjava/jjava-launcher.jar" "$jjava/jjava.jar" "\$@"
LAUNCH
cat > "$kernel/kernel.json" <<KERNEL
{
  "argv": ["bash", "$kernel/launch.sh", "{connection_file}"],
  "display_name": "Java (homl chapter 17)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {}
}
KERNEL
echo "Kernel homl-java: $kernel (classpath: target/classes + $(tr ':' '\n' < target/classpath.txt | wc -l) jars)"
echo "Open the notebooks with: notebooks/.venv/bin/jupyter lab notebooks/"
