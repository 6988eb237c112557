"""RDF canonicalisation (RDFC-1.0) of JSON-LD documents, offline and strict.

Contexts come only from the copies in ``contexts/`` (their origin and licences are in
``contexts/README.md``), served by pyld's FrozenDocumentLoader: any other URL is refused,
so canonicalising never opens a socket. pyld's URDNA2015 is the algorithm the W3C
standardised as RDFC-1.0 (same steps, same SHA-256); the published test vectors are
reproduced byte for byte in tests/certificates/test_vc_dataintegrity.py.

Strict ("safe mode" in the Data Integrity spec): JSON-LD silently drops a property its
contexts do not define, and RDF silently drops a relative IRI, so a signature would not
cover them and a forger could add them freely. Here both are errors, and so is a term that
only the VC 2.0 context's catch-all ``@vocab`` (issuer-dependent) gives a meaning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pyld import FrozenDocumentLoader
from pyld.jsonld import DEFAULT_BASE_IRI, JsonLdError, JsonLdProcessor

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

# URL -> file: every context a credential we sign or verify may name.
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"


class _ShippedContextLoader(FrozenDocumentLoader):
    """pyld keeps a processed remote context in its shared cache only when the loader
    tags it "static"; untagged, every canonicalisation re-read and re-hashed the contexts
    (half the cost of a signature). Ours are files that never change within a process."""

    def __call__(self, url, options):
        return dict(super().__call__(url, options), tag="static")


document_loader = _ShippedContextLoader(
    {url: CONTEXTS_DIR / name for url, name in CONTEXT_FILES.items()}
)


class CanonicalisationError(ValueError):
    """The document is not JSON-LD we can canonicalise without losing or guessing a term."""


def _refuse_dropped(expanded_property):
    raise CanonicalisationError(f"undefined term: {expanded_property or '(unknown)'}")


def _is_absolute(iri: str) -> bool:
    # With no document base, pyld resolves a relative reference (an undefined type, say)
    # against its placeholder base: that is as undefined as a relative IRI.
    return ":" in iri and not iri.startswith(("_:", DEFAULT_BASE_IRI))


class _StrictProcessor(JsonLdProcessor):
    """Expansion that refuses what plain JSON-LD would drop or leave undefined."""

    def __init__(self):
        super().__init__(on_property_dropped=_refuse_dropped)

    def expand(self, input_, options):
        expanded = super().expand(input_, options)
        _check_expanded(expanded)
        return expanded


def _check_expanded(node) -> None:
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type" and "@value" not in node:
            for type_iri in value if isinstance(value, list) else [value]:
                if not _is_absolute(type_iri) or type_iri.startswith(ISSUER_DEPENDENT):
                    raise CanonicalisationError(f"undefined type: {type_iri}")
        elif key == "@id" and isinstance(value, str):
            if not (_is_absolute(value) or value.startswith("_:")) and "@value" not in node:
                raise CanonicalisationError(f"relative identifier: {value}")
        elif key.startswith(ISSUER_DEPENDENT):
            raise CanonicalisationError(f"undefined term: {key[len(ISSUER_DEPENDENT) :]}")
        elif not key.startswith("@") or key in ("@graph", "@list", "@set", "@reverse"):
            _check_expanded(value)


def canonicalise(document: dict) -> str:
    """The document's RDFC-1.0 canonical N-Quads."""
    try:
        return _StrictProcessor().normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader,
                "safe": True,
            },
        )
    except CanonicalisationError:
        raise
    except JsonLdError as error:
        # pyld chains the first cause (often ours) under its own generic message.
        cause = error
        while cause is not None:
            if isinstance(cause, CanonicalisationError):
                raise CanonicalisationError(str(cause)) from error
            cause = cause.__cause__
        raise CanonicalisationError(_jsonld_message(error)) from error
    except (TypeError, AttributeError, KeyError, IndexError, RecursionError) as error:
        # Shapes pyld does not expect (e.g. a number where an object belongs).
        raise CanonicalisationError("not well-formed JSON-LD") from error


def _jsonld_message(error: JsonLdError) -> str:
    cause = error
    while cause.__cause__ is not None and isinstance(cause.__cause__, JsonLdError):
        cause = cause.__cause__
    details = getattr(cause, "details", None) or {}
    url = details.get("url") if isinstance(details, dict) else None
    if url:
        return f"context not available offline: {url}"
    return str(getattr(cause, "message", None) or cause).split("\n")[0]


def sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
