import pytest

from catalogue.reference import InvalidReferenceCode, parse


@pytest.mark.parametrize(
    ("written", "code", "parts"),
    [
        (
            "J0001-001-0001-0001",
            "J0001-001-0001-0001",
            ("J0001", "001", "0001", "0001"),
        ),
        ("j0001－001－0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
        (" J0001—001 ", "J0001-001", ("J0001", "001", "", "")),
        ("Ｊ０００１-１", "J0001-1", ("J0001", "1", "", "")),
        ("J0001 - 001 - 0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
        (
            "Z109-WS·2011-Y-BGS-0001",
            "Z109-WS·2011-Y-BGS-0001",
            ("Z109", "WS·2011", "Y", "BGS-0001"),
        ),
        ("J0001/001/0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
    ],
)
def test_common_ways_of_writing_a_reference_code(written, code, parts):
    parsed = parse(written)
    assert parsed.code == code
    assert (parsed.fonds, parsed.series, parsed.file, parsed.item) == parts


@pytest.mark.parametrize("written", ["", "   ", "J0001-<script>", "J" * 101])
def test_what_is_not_a_reference_code(written):
    with pytest.raises(InvalidReferenceCode):
        parse(written)
