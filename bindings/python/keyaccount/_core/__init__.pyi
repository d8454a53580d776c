"""
keyaccount's C++ core. Private: import from the keyaccount package instead.
"""
from __future__ import annotations
from . import policy
from . import expr
from . import workflow
from . import classify
from . import columns
from . import care
from . import cli
__all__: list[str] = ['care', 'classify', 'cli', 'columns', 'expr', 'policy', 'workflow']
__version__: str
