"""Verifiable credentials without Django: JSON-LD canonicalisation with the vendored
contexts, the eddsa-rdfc-2022 Data Integrity suite, Ed25519 multikeys, Bitstring Status
Lists and baked PNG badges. Nothing here touches the database or the network, so
`manage.py verify_credential` can use it with neither."""
