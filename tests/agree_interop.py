"""Agreement figures checked against independent implementations (issue 16): token-level
Cohen's kappa against scikit-learn, Fleiss' kappa against statsmodels, Krippendorff's alpha
(nominal) against the `krippendorff` package, and span F1 (exact and overlapping) against a
direct set computation and exact span P/R/F1 against seqeval (strict IOB2) -- equal to 1e-6 on
generated layers with missing annotators, and on real layers: the Label Studio export in
tests/fixtures/interop/ (real articles, emoji, CJK, CRLF; 112 regions) with two more annotators
derived from it, every character a unit, through the same references. With the tagwright binary
as a second argument, also those layers through `tagwright add` (one layer per completed_by) and
`tagwright agree --json`, span P/R/F1 against seqeval over the characters of each text.

    python tests/agree_interop.py target/debug/examples/agree_check [target/debug/tagwright]

Prints "agree interop: N passed, M failed" and exits non-zero on a failure.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

LABELS = ["PER", "ORG", "LOC", "MISC"]


def random_layer(rng, n, base=None):
    """Non-overlapping spans on n one-char tokens; with `base`, mostly a noisy copy of it."""
    spans, i = [], 0
    if base is not None and rng.random() < 0.8:
        for s, e, l in base:
            r = rng.random()
            if r < 0.65:
                spans.append([s, e, l])
            elif r < 0.75:
                spans.append([s, e, rng.choice(LABELS)])
            elif r < 0.85 and e - s > 1:
                spans.append([s, e - 1, l])
        return spans
    while i < n:
        if rng.random() < 0.25:
            e = min(n, i + rng.randint(1, 3))
            spans.append([i, e, rng.choice(LABELS)])
            i = e + 1
        else:
            i += 1
    return spans


def token_labels(n, spans):
    out = ["O"] * n
    for s, e, l in spans:
        for t in range(s, e):
            out[t] = l
    return out


def iob2(n, spans):
    """IOB2 tags of n tokens (spans do not overlap)."""
    out = ["O"] * n
    for s, e, l in spans:
        out[s] = "B-" + l
        for t in range(s + 1, e):
            out[t] = "I-" + l
    return out


def seqeval_prf(ref_seqs, other_seqs):
    """Exact span precision, recall, F1 of `other` against `ref` by seqeval (strict IOB2)."""
    kw = {"mode": "strict", "scheme": IOB2, "average": "micro", "zero_division": 0}
    return [precision_score(ref_seqs, other_seqs, **kw), recall_score(ref_seqs, other_seqs, **kw),
            f1_score(ref_seqs, other_seqs, **kw)]


def case(seed, annotators):
    rng = random.Random(seed)
    docs = []
    for d in range(rng.randint(3, 12)):
        n = rng.randint(5, 40)
        base = random_layer(rng, n)
        layers = {}
        for a in annotators:
            if rng.random() < 0.8:
                layers[a] = random_layer(rng, n, base)
        docs.append({"id": f"d{d}", "tokens": n, "layers": layers})
    return {"annotators": annotators, "docs": docs}


def expected(inp):
    ann, docs = inp["annotators"], inp["docs"]
    out = {"pairs": []}
    for i, a in enumerate(ann):
        for b in ann[i + 1:]:
            xa, xb, both = [], [], [d for d in docs if a in d["layers"] and b in d["layers"]]
            ref = oth = exact = ref_ov = oth_ov = 0
            seq_a, seq_b = [], []
            for d in both:
                la, lb = d["layers"][a], d["layers"][b]
                seq_a.append(iob2(d["tokens"], la))
                seq_b.append(iob2(d["tokens"], lb))
                xa += token_labels(d["tokens"], la)
                xb += token_labels(d["tokens"], lb)
                sa, sb = {tuple(s) for s in la}, {tuple(s) for s in lb}
                ref, oth, exact = ref + len(sa), oth + len(sb), exact + len(sa & sb)
                ov = lambda x, y: x[2] == y[2] and x[0] < y[1] and y[0] < x[1]
                ref_ov += sum(any(ov(x, y) for y in sb) for x in sa)
                oth_ov += sum(any(ov(x, y) for x in sa) for y in sb)
            kappa = cohen_kappa_score(xa, xb) if xa and len(set(xa) | set(xb)) > 1 else None
            # seqeval counts nothing found as 0; ours as 1 (both said "no entities"): compared
            # where both sides have spans.
            seq = seqeval_prf(seq_a, seq_b) if ref and oth else None
            out["pairs"].append({"a": a, "b": b, "documents": len(both), "kappa": kappa,
                                 "exact": prf(exact, oth, exact, ref),
                                 "overlap": prf(oth_ov, oth, ref_ov, ref), "seqeval": seq})
    everyone = [d for d in docs if all(a in d["layers"] for a in ann)]
    rows = []
    for d in everyone:
        labs = [token_labels(d["tokens"], d["layers"][a]) for a in ann]
        rows += list(zip(*labs))
    cats = sorted({l for r in rows for l in r})
    if rows and len(cats) > 1:
        table, _ = aggregate_raters(np.array([[cats.index(l) for l in r] for r in rows]))
        out["fleiss"] = fleiss_kappa(table, method="fleiss")
    else:
        out["fleiss"] = None
    seen = {l for d in docs for spans in d["layers"].values() for _, _, l in spans}
    allcats = ["O"] + sorted(set(LABELS) | seen)
    data = []
    for a in ann:
        row = []
        for d in docs:
            if a in d["layers"]:
                row += [allcats.index(l) for l in token_labels(d["tokens"], d["layers"][a])]
            else:
                row += [np.nan] * d["tokens"]
        data.append(row)
    out["alpha"] = krippendorff.alpha(reliability_data=np.array(data, dtype=float),
                                      level_of_measurement="nominal")
    return out


def prf(pn, pd, rn, rd):
    p = 1.0 if pd == 0 else pn / pd
    r = 1.0 if rd == 0 else rn / rd
    return [p, r, 0.0 if p + r == 0 else 2 * p * r / (p + r)]


def close(x, y):
    if y is None or (isinstance(y, float) and np.isnan(y)):
        return True  # undefined for the reference (one category only): left to the unit tests
    if x is None:
        return False
    if isinstance(x, list):
        return all(close(a, b) for a, b in zip(x, y))
    return abs(x - y) < 1e-6


def checks_of(binary, inp):
    """(name, agree_check's figure, the reference's) for every figure of `inp`."""
    got = json.loads(subprocess.run([binary], input=json.dumps(inp), capture_output=True,
                                    text=True, check=True).stdout)
    want = expected(inp)
    checks = [("fleiss", got["fleiss"], want["fleiss"]), ("alpha", got["alpha"], want["alpha"])]
    for g, w in zip(got["pairs"], want["pairs"]):
        for k in ("kappa", "exact", "overlap", "documents"):
            checks.append((f"{g['a']}-{g['b']} {k}", g[k], w[k]))
        checks.append((f"{g['a']}-{g['b']} exact vs seqeval", g["exact"], w["seqeval"]))
    return checks


def main():
    binary = sys.argv[1]
    passed = failed = 0
    for seed in range(60):
        ann = ["ana", "ben", "chen", "dee"][: 2 + seed % 3]
        inp = case(seed, ann)
        for name, g, w in checks_of(binary, inp):
            if close(g, w):
                passed += 1
            else:
                failed += 1
                print(f"seed {seed}: {name}: tagwright {g}, reference {w}")
    p, f = real_units(binary)
    passed, failed = passed + p, failed + f
    if len(sys.argv) > 2:
        p, f = real_data(sys.argv[2])
        passed, failed = passed + p, failed + f
    print(f"agree interop: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def chars_iob2(text, spans):
    """IOB2 tags over the code points of `text` (each character a token)."""
    return iob2(len(text), [(s["start"], s["end"], s["label"]) for s in spans])


def real_tasks():
    """The real Label Studio export (4 articles, 112 regions by user 1), with a second annotation
    per task by user 2 who left out every third region and relabelled every fifth, and a third by
    user 3 who left out every fourth."""
    here = os.path.dirname(os.path.abspath(__file__))
    fixture = os.path.join(here, "fixtures", "interop", "labelstudio-export.json")
    with open(fixture, encoding="utf-8") as f:
        tasks = json.load(f)
    for t in tasks:
        first = t["annotations"][0]
        for user, keep, relabel in ((2, lambda k: k % 3 != 2, lambda k: k % 5 == 4),
                                    (3, lambda k: k % 4 != 3, lambda k: False)):
            other = json.loads(json.dumps(first))
            other["completed_by"], other["id"] = user, first["id"] + 1000 * user
            kept = []
            for k, r in enumerate(first["result"]):
                if not keep(k):
                    continue
                r = json.loads(json.dumps(r))
                if relabel(k):
                    r["value"]["labels"] = ["MISC" if r["value"]["labels"][0] != "MISC" else "ORG"]
                kept.append(r)
            other["result"] = kept
            t["annotations"].append(other)
    return tasks


def real_units(binary):
    """The real layers above with every character as a unit: kappa, Fleiss, alpha and span F1 of
    agree_check against the same independent implementations as the generated layers."""
    tasks = real_tasks()
    names = ["ls-user-1", "ls-user-2", "ls-user-3"]
    docs = []
    for t in tasks:
        layers = {}
        for a, name in zip(t["annotations"], names):
            layers[name] = [[r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]]
                            for r in a["result"]]
        docs.append({"id": str(t["id"]), "tokens": len(t["data"]["text"]), "layers": layers})
    inp = {"annotators": names, "docs": docs}
    passed = failed = 0
    for name, g, w in checks_of(binary, inp):
        if close(g, w) and w is not None:
            passed += 1
        else:
            failed += 1
            print(f"real data (characters): {name}: tagwright {g}, reference {w}")
    return passed, failed


def real_data(tagwright):
    """The real layers above through `tagwright add` (one layer per completed_by) and `agree`,
    span P/R/F1 of users 1 and 2 against seqeval over the characters of each text."""
    tasks = real_tasks()
    ref_seqs, other_seqs = [], []
    for t in tasks:
        text = t["data"]["text"]
        first, second = t["annotations"][0], t["annotations"][1]
        spans = lambda a: [{"start": r["value"]["start"], "end": r["value"]["end"],
                            "label": r["value"]["labels"][0]} for r in a["result"]]
        ref_seqs.append(chars_iob2(text, spans(first)))
        other_seqs.append(chars_iob2(text, spans(second)))
    want = seqeval_prf(ref_seqs, other_seqs)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "team.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(tasks, f, ensure_ascii=False)
        project = os.path.join(d, "p")
        run = lambda *a: subprocess.run([tagwright, *a], capture_output=True, text=True, check=True)
        run("new", project, "--labels", "PER,ORG,LOC,MISC,DATE,MONEY,PERCENT")
        run("add", project, path)
        got = json.loads(run("agree", project, "--annotators", "ls-user-1,ls-user-2",
                             "--json").stdout)
    pair = got["pairs"][0]["spans"]
    got_prf = [pair["precision"], pair["recall"], pair["f1"]]
    if close(got_prf, want) and got["pairs"][0]["documents"] == len(tasks):
        return 1, 0
    print(f"real data: tagwright {got_prf} on {got['pairs'][0]['documents']} documents, seqeval {want}")
    return 0, 1


if __name__ == "__main__":
    main()
