"""spaCy, imported without its command-line interface.

``import spacy`` runs ``spacy/__init__.py``, which imports ``spacy.cli.info`` for the
``spacy.info`` shortcut and, with it, every spaCy command and what they need (requests, typer,
weasel, jinja2, ...): about a third of spaCy's import time, for commands vanban never runs
(docs/extract.md, "spaCy without its commands"). :func:`load_spacy` imports the package while
placeholders stand in for ``spacy.cli`` and ``spacy.cli.info``; they leave ``sys.modules``
as soon as ``spacy/__init__.py`` has run, so a later ``import spacy.cli`` (spaCy's own
commands, a user's code in the same process) imports the real one, ``spacy.cli`` as an
attribute imports it on first use (a module ``__getattr__``), and ``spacy.info`` calls the
real function. The pipelines, matchers and ``Doc`` are the same classes either way.

If the import fails with the placeholders (a spaCy whose package imports more of its CLI),
every ``spacy`` module it left behind is dropped and spaCy is imported the plain way.
"""

from __future__ import annotations

import sys
import threading
import types

_LOCK = threading.Lock()
#: The modules held by placeholders while ``spacy/__init__.py`` runs.
_CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def _real_info(*args, **kwargs):
    """``spacy.info``: spaCy's own, imported when first called."""
    from spacy.cli.info import info
    return info(*args, **kwargs)


def load_spacy() -> types.ModuleType:
    """The ``spacy`` package, imported (once) without ``spacy.cli``; see the module docstring."""
    if "spacy" in sys.modules:  # imported (or being imported: the import waits for it)
        import spacy
        return spacy
    with _LOCK:
        if "spacy" in sys.modules:  # imported meanwhile by another thread
            import spacy
            return spacy
        info_module = types.ModuleType("spacy.cli.info")
        info_module.info = _real_info  # type: ignore[attr-defined]
        cli_module = types.ModuleType("spacy.cli")
        cli_module.info = info_module  # type: ignore[attr-defined]
        placeholders = {"spacy.cli": cli_module, "spacy.cli.info": info_module}
        sys.modules.update(placeholders)
        try:
            import spacy
        except Exception:  # noqa: BLE001 - imported again the plain way, raising what it raises
            for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
                del sys.modules[name]
            spacy = None
        finally:
            for name, module in placeholders.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
        if spacy is None:
            import spacy
        else:
            if getattr(spacy, "cli", None) is cli_module:
                del spacy.cli  # type: ignore[attr-defined]
            if "__getattr__" not in vars(spacy):  # a spaCy with its own one is left as it is
                spacy.__getattr__ = _import_cli_on_demand  # type: ignore[attr-defined]
        return spacy


def _import_cli_on_demand(name: str):
    """The ``spacy`` package's PEP 562 ``__getattr__``: ``spacy.cli`` imports the real CLI
    when first used, as a plain ``import spacy`` would have it."""
    if name == "cli":
        import importlib
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")

