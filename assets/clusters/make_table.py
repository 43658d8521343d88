"""Builds assets/clusters/brown.bin from spaCy's Brown cluster table.

Source: the PyPI package spacy-lookups-data 1.0.5 (MIT licence, Copyright ExplosionAI GmbH),
file spacy_lookups_data/data/en_lexeme_cluster.json.gz: word -> Brown cluster, stored by spaCy as
the bit path reversed and read as binary, so the low k bits of the number are the path's first k
bits (its prefix of length k).

    pip download --no-deps spacy-lookups-data==1.0.5 && unzip spacy_lookups_data-1.0.5-*.whl
    python3 assets/clusters/make_table.py spacy_lookups_data/data/en_lexeme_cluster.json.gz \
        assets/clusters/brown.bin

Output: one 12-byte record per word with a non-zero cluster, sorted by key: the word's hash
(`fhash(40, word, "")` of src/extract/tagger/features.rs, u64 little-endian) and its cluster
(u32 little-endian). Only hashes are kept: the table is looked up, never listed.
"""
import gzip
import json
import struct
import sys

M = 2**64
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


def fhash(template, a, b=""):
    h = FNV_OFFSET ^ ((template * 0x9E3779B97F4A7C15) % M)
    for x in a.encode():
        h = ((h ^ x) * FNV_PRIME) % M
    h = ((h ^ 0xFF) * FNV_PRIME) % M
    for x in b.encode():
        h = ((h ^ x) * FNV_PRIME) % M
    return h | 1


def main(src, dst):
    clusters = json.load(gzip.open(src))
    rows = {}
    for word, cluster in clusters.items():
        if cluster:
            rows[fhash(40, word)] = cluster
    with open(dst, "wb") as f:
        for key in sorted(rows):
            f.write(struct.pack("<QI", key, rows[key]))
    print(f"{len(rows)} words -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
