"""
The `keyaccount` command and its policy-test runner.
"""
from __future__ import annotations
import collections.abc
import keyaccount._core.policy
import typing
__all__: list[str] = ['run_cli', 'run_policy_tests']
def run_cli(args: collections.abc.Sequence[str | bytes], out_write: collections.abc.Callable[[bytes], object], err_write: collections.abc.Callable[[bytes], object]) -> int:
    """
    Runs the keyaccount command line with `args` (without the program name) and returns its exit code. Its standard output and error go, as bytes, to the callables `out_write` and `err_write` (e.g. sys.stdout.buffer.write). If one of them raises, the stream is dropped from then on and that exception is raised when the command returns.
    """
def run_policy_tests(policy: keyaccount._core.policy.CompiledPolicy, policy_name: str, files: collections.abc.Sequence[str], threshold: typing.SupportsFloat | typing.SupportsIndex | None = None) -> str:
    """
    Runs policy test files against a CompiledPolicy; the report as JSON text (what `keyaccount test --format json` prints). Raises InputError for a file that cannot be read or is not a valid test file.
    """
