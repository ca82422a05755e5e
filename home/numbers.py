"""Counts as the public reads them: 3,251 on a Chinese page and an English one.

GB/T 15835-2011 (出版物上数字用法) groups the digits of a long number in threes
with a comma (千分撇), as English does; Django's own zh-Hans format groups in
fours with no separator, which printed 3251 on a Chinese page beside 3,251 on
the English one and on the search page. portal/formats/zh_Hans/ gives Django
the comma and the three, and every count shown to the public (home figures,
search counts, the catalogue's record counts and digitisation statements)
goes through `grouped`. Years and reference codes are not counts: never
grouped, so the setting USE_THOUSAND_SEPARATOR stays off.
"""

from django.utils.formats import number_format


def grouped(value):
    """1234567 -> "1,234,567" in the active language's format; a value that
    is not a whole number comes back as it was."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return number_format(number, force_grouping=True)
