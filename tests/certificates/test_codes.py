import math

from certificates.codes import ALPHABET, LENGTH, generate_code, normalise_code


def test_codes_carry_at_least_80_random_bits():
    assert LENGTH * math.log2(len(ALPHABET)) >= 80


def test_codes_never_use_characters_that_are_easy_to_misread():
    assert not set("01OILU") & set(ALPHABET)


def test_codes_are_printed_in_groups_of_four():
    code = generate_code()
    assert [len(group) for group in code.split("-")] == [4, 4, 4, 4, 4]


def test_a_thousand_codes_are_all_different():
    assert len({generate_code() for _ in range(1000)}) == 1000


def test_typed_codes_are_accepted_in_lower_case_with_spaces_or_without_dashes():
    code = generate_code()
    assert normalise_code(code.lower()) == code
    assert normalise_code(code.replace("-", " ")) == code
    assert normalise_code(code.replace("-", "")) == code
    assert normalise_code(f"  {code}  ") == code


def test_malformed_codes_are_rejected():
    assert normalise_code("") is None
    assert normalise_code("ABCD") is None
    assert normalise_code("0000-0000-0000-0000-0000") is None
    assert normalise_code("<script>") is None
