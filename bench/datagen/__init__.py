"""A seeded, reproducible catalogue of a city archive, written as import files.

See bench/generate.py for the command, catalogue.py for the shape of the data
and truth.py for the file of expected search hits.
"""
