"""Executes the chapter's notebooks headless (nbclient) and checks them (see notebooks/README.md).

    notebooks/.venv/bin/python notebooks/run.py            # CI: check and execute every notebook
    notebooks/.venv/bin/python notebooks/run.py --update   # make, execute and commit-ready them

The check fails when a committed notebook's cells differ from what the generator makes from
today's sources (notebooks/src/*.md plus the marked listings), when its outputs come from other
cells than it holds, when a cell raises (a score outside its bounds raises too), or when a cell that
calls display(...) shows no image. Run from anywhere; needs `bash notebooks/setup.sh` first.
"""
import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HTML = ROOT / "docs" / "notebooks"
KERNEL = "homl-java"
DISPLAY_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def cells_hash(nb):
    """SHA-256 over each cell's type and source, as NotebookSource.sourceHash() computes it."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        digest.update(f"{cell.cell_type}\0{cell.source}\0".encode("utf-8"))
    return digest.hexdigest()


def generate(out_dir):
    """Writes the notebooks as the Java generator makes them from today's sources."""
    subprocess.run(
        ["java", "-cp", str(ROOT / "target" / "classes"),
         "io.github.homl.notebook.NotebookSource", str(out_dir)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return sorted(Path(out_dir).glob("*.ipynb"))


def execute(nb, name):
    """Runs every cell; returns the seconds taken, or raises naming the notebook and cell."""
    start = time.time()
    client = NotebookClient(nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(ROOT)}})
    try:
        client.execute()
    except CellExecutionError:
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.traceback))
                    raise SystemExit(f"{name}: cell {index} failed:\n{cell.source}\n---\n"
                                     f"{output.ename}: {output.evalue}\n{trace}")
        raise
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "display(" in cell.source:
            # JJava echoes the display id of a display(...) that ends a cell; keep the figure only
            cell.outputs = [o for o in cell.outputs if not (
                o.output_type == "execute_result"
                and DISPLAY_ID.fullmatch(o.get("data", {}).get("text/plain", "")))]
        if cell.cell_type == "code" and "display(" in cell.source:
            if not any("image/png" in output.get("data", {}) for output in cell.outputs):
                raise SystemExit(f"{name}: cell {index} calls display(...) but shows no image")
    return time.time() - start


def check_committed(generated, committed):
    """The committed notebook holds today's cells, with the outputs of those cells."""
    name = committed.name
    if not committed.exists():
        raise SystemExit(f"{name}: not committed; make it with notebooks/run.py --update")
    nb = nbformat.read(committed, as_version=4)
    new = nbformat.read(generated, as_version=4)
    expected = new.metadata["homl"]["source_hash"]
    meta = nb.metadata.get("homl", {})
    if meta.get("source_hash") != expected or cells_hash(nb) != expected:
        raise SystemExit(f"{name}: its cells differ from notebooks/src and the listings of today's "
                         "code; make it again with notebooks/run.py --update")
    if meta.get("executed_hash") != expected or any(
            c.cell_type == "code" and c.execution_count is None for c in nb.cells):
        raise SystemExit(f"{name}: its outputs are stale (not made by executing these cells); "
                         "run notebooks/run.py --update")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true",
                        help="regenerate, execute and write notebooks/*.ipynb and docs/notebooks/*.html")
    parser.add_argument("names", nargs="*", help="only these notebooks (e.g. 01_autoencoders)")
    args = parser.parse_args()
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(tmp)
        if args.names:
            generated = [g for g in generated if g.stem in args.names]
        for path in generated:
            committed = NOTEBOOKS / path.name
            if not args.update:
                check_committed(path, committed)
            nb = nbformat.read(path, as_version=4)
            seconds = execute(nb, path.name)
            total += seconds
            print(f"{path.name}: {len(nb.cells)} cells, executed in {seconds:.1f} s", flush=True)
            if args.update:
                nb.metadata["homl"]["executed_hash"] = nb.metadata["homl"]["source_hash"]
                nbformat.write(nb, committed)
                export_html(committed)
    print(f"all notebooks: {total:.1f} s")


STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*mermaid.*?</script>', re.S)
STYLESHEET = "notebook.css"


def export_html(notebook):
    """Writes docs/notebooks/<name>.html, titled after the notebook. The stylesheet nbconvert inlines
    in every page (the same 260 KB each time) goes once into docs/notebooks/notebook.css, which
    each page links; the script that renders Mermaid diagrams is left out of pages that have none."""
    from nbconvert import HTMLExporter
    HTML.mkdir(parents=True, exist_ok=True)
    body, _ = HTMLExporter().from_notebook_node(
        nbformat.read(notebook, as_version=4), resources={"metadata": {"name": notebook.stem}})
    if 'class="jp-Mermaid' not in body:
        body = MERMAID.sub("", body)
    styles = STYLE.findall(body)
    if styles:
        (HTML / STYLESHEET).write_text(
            "\n".join(re.sub(r"</?style[^>]*>", "", s).strip() for s in styles) + "\n",
            encoding="utf-8")
        link = f'<link rel="stylesheet" href="{STYLESHEET}">\n'
        body = STYLE.sub("", body.replace(styles[0], link, 1))
    (HTML / (notebook.stem + ".html")).write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
