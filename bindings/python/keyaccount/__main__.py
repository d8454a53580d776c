"""``python -m keyaccount`` and the ``keyaccount`` command: the C++ CLI, run in-process."""

from __future__ import annotations

import sys

from . import _core


def main(argv: list[str] | None = None) -> int:
    """Run the keyaccount command line with ``argv`` (default: ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    sys.stdout.flush()
    return _core.run_cli(args)


if __name__ == "__main__":
    sys.exit(main())
