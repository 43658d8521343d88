"""Interop check with the real spaCy (run by .ci/run in a virtual environment with spaCy).

Builds a project from the hand-written fixtures with the real `tagwright` binary, exports it as
spaCy DocBin (.spacy) and as JSONL, then checks with spaCy that:
- the .spacy file loads with DocBin().from_disk(), each Doc's text is the document's text, its
  user_data holds the document's id and title, and every entity comes back with the right text
  and label (a CoNLL document is exported with its own tokens);
- every span of the JSONL export (confirmed and pending) aligns with Doc.char_span on a Doc made
  by spaCy's own English tokenizer (a few misalignments are listed, and fail the check).

usage: python tests/spacy_interop.py path/to/tagwright
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"


def run(binary, *args):
    r = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tagwright {' '.join(map(str, args))} failed: {r.stderr}")
    return r


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "tagwright")
    checks = failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        proj = tmp / "p"
        run(binary, "new", proj)
        # Entities with whitespace inside that is not one plain space (two spaces, a no-break
        # space): spaCy makes whitespace tokens there, which must belong to the entity.
        ws = tmp / "ws.jsonl"
        text = "Flights to New  York and Xi\u00a0Jinping."
        ws.write_text(json.dumps({"id": "ws", "text": text, "spans": [
            {"start": 11, "end": 20, "label": "LOC"}, {"start": 25, "end": 35, "label": "PER"}]}) + "\n",
            encoding="utf-8")
        run(binary, "add", proj, ws)
        run(binary, "add", proj, FIX / "prodigy.jsonl", FIX / "doccano.jsonl", FIX / "labelstudio.json",
            FIX / "brat_doc.ann", FIX / "iob1.conll", ROOT / "assets" / "samples" / "xi-putin-call.txt", "--add-labels")
        run(binary, "export", proj, "--format", "spacy", "-o", tmp / "out.spacy")
        run(binary, "export", proj, "--format", "jsonl", "-o", tmp / "out.jsonl")
        run(binary, "export", proj, "--format", "jsonl", "--include-suggestions", "-o", tmp / "all.jsonl")
        nlp = spacy.blank("en")
        docs = list(DocBin().from_disk(tmp / "out.spacy").get_docs(nlp.vocab))
        lines = [json.loads(l) for l in open(tmp / "out.jsonl", encoding="utf-8")]
        assert len(docs) == len(lines), (len(docs), len(lines))
        for doc, line in zip(docs, lines):
            checks += 1
            if doc.text != line["text"]:
                failures += 1
                print(f"FAIL {line['id']}: DocBin text differs")
                continue
            checks += 1
            meta = (doc.user_data.get("id"), doc.user_data.get("title"))
            if meta != (line["id"], line["meta"]["title"]):
                failures += 1
                print(f"FAIL {line['id']}: DocBin user_data {meta} is not the id and title")
            want = sorted((s["start"], s["end"], s["label"]) for s in line["spans"])
            got = sorted((e.start_char, e.end_char, e.label_) for e in doc.ents)
            checks += 1
            if want != got:
                failures += 1
                print(f"FAIL {line['id']}: entities {got} != {want}")
            for s in line["spans"]:
                checks += 1
                ent = [e for e in doc.ents if (e.start_char, e.end_char) == (s["start"], s["end"])]
                if not ent or ent[0].text != line["text"][s["start"]:s["end"]] or ent[0].label_ != s["label"]:
                    failures += 1
                    print(f"FAIL {line['id']}: entity {s} not found with its text")
        for line in (json.loads(l) for l in open(tmp / "all.jsonl", encoding="utf-8")):
            doc = nlp(line["text"])
            for s in line["spans"]:
                checks += 1
                if doc.char_span(s["start"], s["end"]) is None:
                    failures += 1
                    print(f"FAIL {line['id']}: span {s} = {line['text'][s['start']:s['end']]!r} does not align with spaCy's tokens")
    print(f"spacy interop (spaCy {spacy.__version__}): {checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
