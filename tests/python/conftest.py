"""The Python tests live in one folder per area (tests/python/<area>/, README "Layout").

pytest puts each test file's own folder on sys.path, so a test imports a helper of its own area
by name (``from cel_differential import ...``). A few import from another area's module
(test_spark checks docs/spark.md with test_docs_run's doc blocks); every area folder is also put
on sys.path, at the end, so such an import works whichever tests run, and a file still in
tests/python/ itself keeps working too. Module names stay unique across the folders.
"""

import sys
from pathlib import Path

for folder in sorted(Path(__file__).resolve().parent.iterdir()):
    if folder.is_dir() and not folder.name.startswith((".", "_")) and str(folder) not in sys.path:
        sys.path.append(str(folder))
