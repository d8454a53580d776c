"""``python -m keyaccount`` and the ``keyaccount`` command: the C++ CLI, run in-process.

The command writes the bytes the C++ CLI produces, unchanged (it echoes policy lines, which
need not be UTF-8), and never ends with a traceback or an abort:

- exit codes are the CLI's (0, 1, 2; see the README);
- a reader that closes the pipe early (``keyaccount classify ... | head -1``) ends the command
  quietly with exit status 141, what a shell reports for the native ``keyaccount`` binary,
  which SIGPIPE kills (Python ignores SIGPIPE, so here it is an exit status, not a signal);
- any other failure to write (a full disk, a closed stream) is one line on stderr, exit 2.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, TextIO

from . import _core

#: Exit status when standard output's reader went away: 128 + SIGPIPE, as a shell reports a
#: process that SIGPIPE ended.
EXIT_CLOSED_PIPE = 141
#: Exit status of a failure that is not the command's own finding (as for bad arguments).
EXIT_FAILURE = 2
#: Exit status after Ctrl-C: 128 + SIGINT.
EXIT_INTERRUPTED = 130


def _byte_writer(stream: TextIO) -> Callable[[bytes], object]:
    """A function writing bytes to `stream`: to its binary buffer when it has one (the real
    stdout, pytest's capture), else decoded (a notebook's stream is text only; a byte that is
    not UTF-8 shows as U+FFFD there)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and hasattr(buffer, "write"):
        return buffer.write

    def write_text(data: bytes) -> None:
        stream.write(data.decode("utf-8", errors="replace"))

    return write_text


def _flush(stream: TextIO) -> None:
    """Flushes `stream` and, below it, its binary buffer (what _byte_writer wrote to)."""
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and hasattr(buffer, "flush"):
        buffer.flush()


def _discard_stdout() -> None:
    """After the reader of standard output went away: points file descriptor 1 at the null
    device, so that the interpreter's last flush at exit does not fail again and print
    "Exception ignored ... BrokenPipeError" (the recipe of Python's signal module docs). Only
    for the process's own stdout: a notebook or a test's stream is left alone."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _report(message: str) -> None:
    """One line on stderr; quiet if stderr itself cannot be written."""
    try:
        print(f"keyaccount: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def main(argv: list[str | bytes] | None = None) -> int:
    """Run the keyaccount command line with ``argv`` (default: ``sys.argv[1:]``); returns the
    exit status (see the module's documentation)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        # Text the caller already printed comes first.
        _flush(sys.stdout)
        _flush(sys.stderr)
        # Arguments as the bytes the shell passed (os.fsencode undoes the surrogateescape
        # decoding of sys.argv), so that an argument which is not UTF-8 reaches the CLI as it
        # would reach the native binary.
        code = _core.cli.run_cli([os.fsencode(a) for a in args], _byte_writer(sys.stdout),
                             _byte_writer(sys.stderr))
        _flush(sys.stdout)
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback
        _report(f"cannot write the output: {error}" if isinstance(error, (OSError, ValueError))
                else f"internal error: {type(error).__name__}: {error}")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
