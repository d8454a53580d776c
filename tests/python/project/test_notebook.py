"""The example notebook runs top to bottom (CI executes it) and shows an HTML table and plots."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_example_notebook_executes_and_renders():
    nb = nbformat.read(EXAMPLES / "classify_customers.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # tier counts, near misses, key customers against the threshold
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("累计交易额还需超过" in h for h in html)  # the decision's own _repr_html_ or a table
    assert any(h.startswith("<div><b>") for h in html)  # Decision._repr_html_
    assert any("C00065" in h for h in html)  # demoted when Art. 5.1 rises to 600 万元
