"""The project's scripts (``scripts/*.py``, not a package) loaded as modules, so tests call their functions."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from core.settings import PROJECT_ROOT


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
