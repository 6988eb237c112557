"""eddsa-rdfc-2022 against the published test vectors, byte for byte, with no network."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.vc import dataintegrity, multikey
from certificates.vc.canonical import CanonicalisationError, canonicalise

VECTORS = Path(__file__).parent / "vectors"
W3C = VECTORS / "w3c"
ONE_ED = VECTORS / "1edtech"


# Every test here runs with sockets blocked (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("no_network")


def read(path: Path) -> str:
    return path.read_text()


def w3c_key() -> Ed25519PrivateKey:
    pair = json.loads(read(W3C / "keyPair.json"))
    key = multikey.private_key_from_multibase(pair["privateKeyMultibase"])
    assert multikey.public_key_multibase(key.public_key()) == pair["publicKeyMultibase"]
    return key


def one_ed() -> dict:
    return json.loads(read(ONE_ED / "vector.json"))


def one_ed_key(vector) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(vector["privateKeyHex"])[:32])


def test_w3c_vector_canonical_forms_and_hashes_match_byte_for_byte():
    unsigned = json.loads(read(W3C / "unsigned.json"))
    proof_config = json.loads(read(W3C / "proofConfigDataInt.json"))
    hashes = dataintegrity.hash_data(unsigned, proof_config)
    assert hashes.document_canonical == read(W3C / "canonDocDataInt.txt")
    assert hashes.proof_canonical == read(W3C / "proofCanonDataInt.txt")
    assert hashes.document_hash.hex() == read(W3C / "docHashDataInt.txt").strip()
    assert hashes.proof_hash.hex() == read(W3C / "proofHashDataInt.txt").strip()
    assert hashes.data_to_sign.hex() == read(W3C / "combinedHashDataInt.txt").strip()


def test_w3c_vector_signed_credential_is_reproduced_exactly():
    unsigned = json.loads(read(W3C / "unsigned.json"))
    config = json.loads(read(W3C / "proofConfigDataInt.json"))
    signed = dataintegrity.sign(
        unsigned,
        private_key=w3c_key(),
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    assert signed == json.loads(read(W3C / "signedDataInt.json"))
    signature = multikey.decode_base58btc(signed["proof"]["proofValue"])
    assert signature.hex() == read(W3C / "sigHexDataInt.txt").strip()
    assert signed["proof"]["proofValue"] == read(W3C / "sigBTC58DataInt.txt").strip()


def test_1edtech_open_badge_vector_is_reproduced_exactly():
    vector = one_ed()
    key = one_ed_key(vector)
    assert multikey.public_key_multibase(key.public_key()) == vector["publicKeyMultibase"]
    hashes = dataintegrity.hash_data(vector["unsigned"], vector["proofOptions"])
    assert hashes.document_canonical == read(ONE_ED / "document-canon.txt")
    assert hashes.proof_canonical == read(ONE_ED / "proof-canon.txt")
    assert hashes.document_hash.hex() == vector["documentHashHex"]
    assert hashes.proof_hash.hex() == vector["proofHashHex"]
    options = vector["proofOptions"]
    signed = dataintegrity.sign(
        vector["unsigned"],
        private_key=key,
        verification_method=options["verificationMethod"],
        created=options["created"],
    )
    assert multikey.decode_base58btc(signed["proof"]["proofValue"]).hex() == vector["signatureHex"]
    assert signed["proof"]["proofValue"] == vector["proofValue"]


def _resolver(key):
    return lambda method: key.public_key()


def test_published_signed_credential_verifies_and_a_one_character_change_does_not():
    signed = json.loads(read(W3C / "signedDataInt.json"))
    key = w3c_key()
    assert (
        dataintegrity.verify(signed, resolve_key=_resolver(key))["cryptosuite"] == "eddsa-rdfc-2022"
    )
    signed["credentialSubject"]["alumniOf"] = "The School of Exampled"
    with pytest.raises(dataintegrity.ProofError, match="does not match"):
        dataintegrity.verify(signed, resolve_key=_resolver(key))


def test_a_changed_proof_value_fails():
    vector = one_ed()
    signed = dict(
        vector["unsigned"], proof=dict(vector["proofOptions"], proofValue=vector["proofValue"])
    )
    dataintegrity.verify(signed, resolve_key=_resolver(one_ed_key(vector)))
    value = vector["proofValue"]
    signed["proof"]["proofValue"] = value[:-1] + ("s" if value[-1] != "s" else "t")
    with pytest.raises(dataintegrity.ProofError):
        dataintegrity.verify(signed, resolve_key=_resolver(one_ed_key(vector)))


def test_an_undefined_term_is_an_error_not_silently_dropped():
    credential = dict(one_ed()["unsigned"], favouriteColour="teal")
    with pytest.raises(CanonicalisationError, match="favouriteColour"):
        canonicalise(credential)


def test_an_undefined_type_is_an_error():
    credential = dict(one_ed()["unsigned"], type=["VerifiableCredential", "MadeUpCredential"])
    with pytest.raises(CanonicalisationError, match="MadeUpCredential"):
        canonicalise(credential)


def test_a_property_dropped_by_a_context_without_vocab_is_an_error():
    document = {"@context": {"name": "https://schema.org/name"}, "name": "x", "extra": "y"}
    with pytest.raises(CanonicalisationError, match="undefined term"):
        canonicalise(document)


def test_a_context_we_do_not_ship_is_refused_without_fetching_it():
    credential = dict(one_ed()["unsigned"])
    credential["@context"] = credential["@context"] + ["https://example.org/context.jsonld"]
    with pytest.raises(CanonicalisationError, match="example.org"):
        canonicalise(credential)
