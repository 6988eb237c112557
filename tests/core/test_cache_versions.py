"""Versioned cache entries: a write makes every entry built before it a miss, including one
built from the old rows while the write's transaction was still open."""

from core.cache_versions import bump_versions, versioned


def test_a_bump_makes_the_next_read_rebuild():
    built = []
    assert versioned("entry", ["v"], lambda: built.append(1) or "first") == "first"
    assert versioned("entry", ["v"], lambda: "never") == "first"
    bump_versions("v")
    assert versioned("entry", ["v"], lambda: "second") == "second"


def test_an_entry_read_before_the_commit_is_not_served_after_it(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bump_versions("v")  # the write, not yet committed
        # Another request reads the old rows now and keeps them under today's version.
        versioned("entry", ["v"], lambda: "old rows")
    # The commit replaced the version: the entry built from the old rows is a miss.
    assert versioned("entry", ["v"], lambda: "new rows") == "new rows"
