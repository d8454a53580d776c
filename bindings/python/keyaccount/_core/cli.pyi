"""
The `keyaccount` command.
"""
from __future__ import annotations
import collections.abc
__all__: list[str] = ['run_cli']
def run_cli(args: collections.abc.Sequence[str | bytes], out_write: collections.abc.Callable[[bytes], object], err_write: collections.abc.Callable[[bytes], object]) -> int:
    """
    Runs the keyaccount command line with `args` (without the program name) and returns its exit code. Its standard output and error go, as bytes, to the callables `out_write` and `err_write` (e.g. sys.stdout.buffer.write). If one of them raises, the stream is dropped from then on and that exception is raised when the command returns.
    """
