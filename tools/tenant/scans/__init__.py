"""Sample paper mail of CHRU Exemple: scans generated deterministically, with their ground truth.

`content.py` writes what each document says (fictional patients of the sample DPI), `render.py` draws
it as a scan with the defects of real ones, `build.py` writes the set and its ground truth.
"""
