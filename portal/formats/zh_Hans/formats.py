# Digits grouped in threes with a comma (GB/T 15835-2011, 千分撇), as on the
# English pages: home/numbers.py. Everything else is Django's zh-Hans format.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
