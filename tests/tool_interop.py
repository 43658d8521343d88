"""Interop check with the real annotation tools (run in a virtual environment with
`pip install spacy label-studio-sdk seqeval datasets`).

Runs the real `tagwright` binary in temporary folders and checks what it reads and writes with the
tools' own code, on files made by the real tools (tests/fixtures/interop/, see its README.md):

1. fixtures -> truth: doccano's export (UTF-16 offsets) and Label Studio's export (code points)
   import to exactly the spans of truth.jsonl; doccano's ids are kept as they are; exporting the
   doccano-imported project as doccano gives doccano's file back (same offsets). doccano's texts
   lost the whitespace at their ends, so texts are compared stripped and spans as places in the
   truth's text. (The fixture's 4th document lost a leading space but kept offsets counted with
   it: read literally, its spans are one character off; the import moves them back and says so.)
2. truth -> the tools' units: truth.jsonl imported and exported as doccano has UTF-16 offsets
   (`text.encode('utf-16-le')[2*s:2*e]` is the span's text), with `--doccano-offsets graphemes`
   grapheme offsets (the `regex` module's \\X), and as Label Studio code-point offsets whose
   `value.text` is `text[start:end]`, in tasks that a default NER labeling config reads; each export
   imports back to the truth.
3. Label Studio's own converter (label_studio_sdk.converter, the code behind its CONLL2003
   export) turns our Label Studio export into the same CoNLL as the real Label Studio did
   (labelstudio-export.conll), and its entities are the truth's spans widened to its tokens
   (NLTK Treebank tokens). The real file is checked the same way.
4. seqeval, strict mode: our CoNLL exports in IOB1, IOB2 and BILOU are valid sequences (every
   non-O tag is inside an entity of the strict reading; IOB1 also as IOB2 after the standard
   conversion, and as seqeval's lenient conlleval reading) whose entities per document are the
   truth's spans; seqeval's classification_report(mode="strict") counts every truth span. CoNLL-2003
   files with POS and chunk columns (the first three documents of ../shared/data/conll2003/dev.txt
   as they stand, and three from its first -DOCSTART-; read at test time, skipped with a note when
   missing) go through `add` and `export --scheme iob1` byte for byte.
5. Hugging Face datasets: the `hf` export folder loads with `datasets.load_dataset(folder)` (and
   `load_dataset("json", ..., features=<the card's features>)`): columns id (string), tokens (list
   of string), ner_tags (list of ClassLabel of the IOB2 tag names, "O" first), and its entities
   are the truth's spans.

usage: python tests/tool_interop.py path/to/tagwright
       python tests/tool_interop.py --self-test   (the checks against hand-made files, no binary)
Prints one `FAIL ...` line per failed check and, last, `tool interop: N passed, N failed`; exits 1
when any check failed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from xml.sax.saxutils import quoteattr

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "interop"
DEV = ROOT.parent / "shared" / "data" / "conll2003" / "dev.txt"


# ---------------------------------------------------------------------------------------------
# Offsets (pure Python). Tagwright and Python's str count code points; doccano counts UTF-16
# code units (JavaScript strings) or, in grapheme mode, user-perceived characters.

def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def cp_to_utf16(text, i):
    """Code point offset -> UTF-16 code unit offset."""
    return utf16_len(text[:i])


def utf16_to_cp(text, u):
    """UTF-16 code unit offset -> code point offset; ValueError inside a surrogate pair or past the end."""
    units = 0
    for i, ch in enumerate(text):
        if units == u:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > u:
            raise ValueError(f"UTF-16 offset {u} is inside the surrogate pair of {ch!r} at code point {i}")
    if units == u:
        return len(text)
    raise ValueError(f"UTF-16 offset {u} is past the end ({units} code units)")


def utf16_slice(text, s, e):
    """text[s:e] in UTF-16 code units (what JavaScript's text.slice(s, e) gives); ValueError if it cuts a pair."""
    return text.encode("utf-16-le")[2 * s:2 * e].decode("utf-16-le")


def grapheme_bounds(text):
    """Code point offsets of the grapheme cluster boundaries (0 ... len), or None without `regex`."""
    try:
        import regex
    except ImportError:
        return None
    return [0] + [m.end() for m in regex.finditer(r"\X", text)]


def nows(s):
    """The string without any whitespace (how token lists and span texts are compared)."""
    return "".join(s.split())


# ---------------------------------------------------------------------------------------------
# Bookkeeping

class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")
        return ok

    def fail(self, what):
        return self.check(False, what)


def describe_diff(got, want, limit=3):
    """A short description of how two lists differ."""
    out = []
    if len(got) != len(want):
        out.append(f"{len(got)} items, want {len(want)}")
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            out.append(f"#{i}: {g!r} != {w!r}")
            if len(out) > limit:
                break
    extra = [x for x in got if x not in want][:limit]
    missing = [x for x in want if x not in got][:limit]
    if extra:
        out.append(f"unexpected {extra}")
    if missing:
        out.append(f"missing {missing}")
    return "; ".join(out)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def truth_spans(doc):
    """Sorted (start, end, label) of a Tagwright JSONL document."""
    return sorted((s["start"], s["end"], s["label"]) for s in doc["spans"])


def truth_entities(doc):
    """(label, span text without whitespace) of each span, in text order."""
    return [(l, nows(doc["text"][s:e])) for s, e, l in truth_spans(doc)]


class Binary:
    def __init__(self, path, report):
        self.path = path
        self.report = report

    def __call__(self, *args):
        """Runs tagwright; a failure is a FAIL (with stderr's first lines) and returns False."""
        r = subprocess.run([self.path, *map(str, args)], capture_output=True, text=True)
        cmd = " ".join(Path(a).name if isinstance(a, Path) else str(a) for a in args)
        if r.returncode != 0:
            err = " | ".join(r.stderr.strip().splitlines()[:3])
            self.report.fail(f"`tagwright {cmd}` exited {r.returncode}: {err}")
            return False
        return True


# ---------------------------------------------------------------------------------------------
# 1 + 2: jsonl, doccano and Label Studio files against the truth

def check_jsonl_vs_truth(rep, name, path, truth, strip_text=False, ids=None):
    """An exported JSONL has the truth's documents (by order) with the same texts and spans."""
    try:
        got = read_jsonl(path)
    except (OSError, ValueError) as e:
        return rep.fail(f"{name}: cannot read {path.name}: {e}")
    if not rep.check(len(got) == len(truth), f"{name}: {len(got)} documents, want {len(truth)}"):
        return
    for i, (g, t) in enumerate(zip(got, truth)):
        gt, tt = g.get("text", ""), t["text"]
        # doccano strips the text: compare without the whitespace at its ends, and the spans as
        # places in the truth's text (shifted by the whitespace the truth has in front).
        delta = 0
        if strip_text:
            delta = (len(tt) - len(tt.lstrip())) - (len(gt) - len(gt.lstrip()))
            gt, tt = gt.strip(), tt.strip()
        if not rep.check(gt == tt, f"{name}: document {i + 1} ({g.get('id')}): text differs from the truth"):
            continue
        want = truth_spans(t)
        got_spans = sorted((s["start"] + delta, s["end"] + delta, s["label"]) for s in g.get("spans", []))
        shift = f" (the truth's text has {delta} more leading characters)" if delta else ""
        rep.check(got_spans == want,
                  f"{name}: {g.get('id')}: spans differ from the truth{shift}: "
                  f"{describe_diff([(t['text'][a:b], l) for a, b, l in got_spans], [(t['text'][a:b], l) for a, b, l in want])}")
        if ids is not None:
            rep.check(g.get("id") == ids[i], f"{name}: document {i + 1} has id {g.get('id')!r}, want {ids[i]!r}")


def check_doccano_export(rep, name, path, truth, units="utf16"):
    """doccano JSONL: every [start, end, label], read in doccano's units, is the truth's span."""
    try:
        lines = read_jsonl(path)
    except (OSError, ValueError) as e:
        return rep.fail(f"{name}: cannot read {path.name}: {e}")
    if not rep.check(len(lines) == len(truth), f"{name}: {len(lines)} lines, want {len(truth)}"):
        return
    for line, t in zip(lines, truth):
        text = line.get("text", "")
        doc = line.get("id", t.get("id"))
        # doccano strips the text it imports: compare without the whitespace at the ends; the
        # truth's spans are then places in this text `delta` code points further left.
        if not rep.check(text.strip() == t["text"].strip(), f"{name}: {doc}: text differs from the truth"):
            continue
        delta = (len(t["text"]) - len(t["text"].lstrip())) - (len(text) - len(text.lstrip()))
        labels = line.get("label")
        if not rep.check(isinstance(labels, list), f"{name}: {doc}: no \"label\" list"):
            continue
        bounds = grapheme_bounds(text) if units == "graphemes" else None
        got, want, bad = [], [], []
        for s, e, l in sorted(map(tuple, labels)):
            try:
                if units == "utf16":
                    got.append((utf16_slice(text, s, e), l))
                else:
                    got.append((text[bounds[s]:bounds[e]], l))
            except (UnicodeDecodeError, IndexError, TypeError) as err:
                bad.append((s, e, l, str(err)))
        for s, e, l in truth_spans(t):
            want.append((t["text"][s:e], l))
        rep.check(not bad, f"{name}: {doc}: offsets that are not {units} boundaries: {bad[:3]}")
        rep.check(got == want, f"{name}: {doc}: span texts read in {units} differ from the truth's: "
                               f"{describe_diff(got, want)}")
        # The exact offsets: the truth's code points converted to this text's units.
        if units == "utf16":
            conv = sorted([cp_to_utf16(text, s - delta), cp_to_utf16(text, e - delta), l]
                          for s, e, l in truth_spans(t))
        else:
            tb = grapheme_bounds(text)
            conv = sorted([tb.index(s - delta) if s - delta in tb else -1, tb.index(e - delta) if e - delta in tb else -1, l]
                          for s, e, l in truth_spans(t))
        rep.check(sorted(map(list, labels)) == conv,
                  f"{name}: {doc}: offsets are not the truth's in {units}: "
                  f"{describe_diff(sorted(map(list, labels)), conv)}")


def ls_results(task):
    """All region results of a Label Studio task's annotations."""
    out = []
    for ann in task.get("annotations") or task.get("completions") or []:
        out.extend(ann.get("result") or [])
    return out


def check_labelstudio_export(rep, name, path, truth):
    """Label Studio JSON: code points both ways, value.text on every result, a default NER config reads it."""
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return rep.fail(f"{name}: cannot read {Path(path).name}: {e}")
    if not rep.check(isinstance(tasks, list) and len(tasks) == len(truth),
                     f"{name}: not a list of {len(truth)} tasks"):
        return
    for i, (task, t) in enumerate(zip(tasks, truth)):
        doc = t.get("id", i + 1)
        # LS's converter and importer need these: task["id"], data.text ($text in the config).
        rep.check("id" in task, f"{name}: {doc}: task has no \"id\" (Label Studio's converter needs one)")
        text = (task.get("data") or {}).get("text")
        if not rep.check(text == t["text"], f"{name}: {doc}: data.text differs from the truth"):
            continue
        results = ls_results(task)
        shape = [r for r in results
                 if r.get("type") != "labels" or r.get("from_name") != "label" or r.get("to_name") != "text"
                 or not isinstance((r.get("value") or {}).get("labels"), list) or len(r["value"]["labels"]) != 1]
        rep.check(not shape, f"{name}: {doc}: results not of a default NER config "
                             f"(type labels, from_name label, to_name text, one label): {shape[:2]}")
        got, bad = [], []
        for r in results:
            v = r.get("value") or {}
            s, e, vt = v.get("start"), v.get("end"), v.get("text")
            if not isinstance(s, int) or not isinstance(e, int) or text[s:e] != vt:
                bad.append((s, e, vt, text[s:e] if isinstance(s, int) and isinstance(e, int) else None))
            got.append((s, e, (v.get("labels") or [None])[0]))
        rep.check(not bad, f"{name}: {doc}: value.text is not text[start:end] in code points: {bad[:3]}")
        got.sort(key=lambda x: (x[0] if isinstance(x[0], int) else -1, x[1] if isinstance(x[1], int) else -1, str(x[2])))
        want = truth_spans(t)
        rep.check(got == want, f"{name}: {doc}: results are not the truth's spans: {describe_diff(got, want)}")


# ---------------------------------------------------------------------------------------------
# CoNLL

def parse_conll(path):
    """-> documents (split at -DOCSTART- lines) of sentences (split at blank lines) of (token, tag)."""
    docs, sent, cur = [], [], None
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            if sent:
                cur.append(sent)
                sent = []
            cur = []
            docs.append(cur)
            continue
        if not line.strip():
            if sent:
                cur.append(sent)
                sent = []
            continue
        if cur is None:
            cur = []
            docs.append(cur)
        cols = re.split(r"[ \t]+", line.rstrip("\r"))
        sent.append((cols[0], cols[-1]))
    if sent:
        cur.append(sent)
    return docs


def iob1_to_iob2(tags):
    """The standard conversion: an I- that does not continue an entity of its type opens one (B-)."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def strict_entities(rep, name, sent, scheme_name):
    """seqeval's strict reading of one sentence -> [(label, [tokens])]; FAILs if a tag is left outside."""
    from seqeval.scheme import BILOU, IOB1, IOB2, Tokens
    from seqeval.metrics.sequence_labeling import get_entities
    scheme = {"iob1": IOB1, "iob2": IOB2, "bilou": BILOU}[scheme_name]
    tokens = [tok for tok, _ in sent]
    tags = [tag for _, tag in sent]
    try:
        ents = Tokens(tags, scheme).entities
    except (ValueError, KeyError) as e:
        rep.fail(f"{name}: seqeval {scheme_name.upper()} refuses the tags: {e}")
        return None
    covered = sum(e.end - e.start for e in ents)
    tagged = sum(t != "O" for t in tags)
    ok = rep.check(covered == tagged,
                   f"{name}: not a valid {scheme_name.upper()} sequence (seqeval strict keeps {covered} of "
                   f"{tagged} tagged tokens): {' '.join(tags)[:200]}")
    if scheme_name == "iob1":
        bad = [i for i, t in enumerate(tags)
               if t.startswith("B-") and (i == 0 or tags[i - 1][2:] != t[2:] or tags[i - 1] == "O")]
        ok &= rep.check(not bad, f"{name}: IOB1 B- that does not follow its own type at tokens {bad[:5]}")
        as2 = [(e.tag, e.start, e.end) for e in Tokens(iob1_to_iob2(tags), IOB2).entities]
        ok &= rep.check(as2 == [(e.tag, e.start, e.end) for e in ents],
                        f"{name}: IOB1 read strictly differs from its IOB2 conversion")
    if scheme_name in ("iob1", "iob2"):
        lenient = [(t, s, e + 1) for t, s, e in get_entities(tags)]
        ok &= rep.check(lenient == [(e.tag, e.start, e.end) for e in ents],
                        f"{name}: seqeval's lenient (conlleval) reading differs from the strict one")
    return [(e.tag, tokens[e.start:e.end]) for e in ents] if ok else None


def check_conll_export(rep, name, path, truth, scheme):
    try:
        docs = parse_conll(path)
    except (OSError, ValueError) as e:
        return rep.fail(f"{name}: cannot read {Path(path).name}: {e}")
    if not rep.check(len(docs) == len(truth), f"{name}: {len(docs)} documents (-DOCSTART-), want {len(truth)}"):
        return
    # seqeval's public API in strict mode over the whole file: it reads every truth span.
    from seqeval.metrics import classification_report
    from seqeval.scheme import BILOU, IOB1, IOB2
    y = [[tag for _, tag in sent] for doc in docs for sent in doc]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = classification_report(y, y, mode="strict", scheme={"iob1": IOB1, "iob2": IOB2, "bilou": BILOU}[scheme],
                                           output_dict=True)
        support = report.get("micro avg", {}).get("support")
    except Exception as e:  # noqa: BLE001 - seqeval refusing the file is the finding
        support = f"{type(e).__name__}: {e}"
    n = sum(len(t["spans"]) for t in truth)
    rep.check(support == n, f"{name}: seqeval classification_report(mode='strict') counts {support} entities, want {n}")
    for doc, t in zip(docs, truth):
        did = t.get("id")
        rep.check(nows("".join(tok for sent in doc for tok, _ in sent)) == nows(t["text"]),
                  f"{name}: {did}: the tokens are not the text (whitespace aside)")
        got = []
        for k, sent in enumerate(doc):
            ents = strict_entities(rep, f"{name}: {did} sentence {k + 1}", sent, scheme)
            got.extend((l, "".join(toks)) for l, toks in (ents or []))
        want = truth_entities(t)
        rep.check(got == want, f"{name}: {did}: entities differ from the truth: {describe_diff(got, want)}")


# ---------------------------------------------------------------------------------------------
# 3: Label Studio's converter

def ls_config(labels):
    """A Label Studio NER labeling config (the default template's names)."""
    inner = "".join(f"<Label value={quoteattr(l)}/>" for l in labels)
    return f'<View><Labels name="label" toName="text">{inner}</Labels><Text name="text" value="$text"/></View>'


def ls_convert_conll(ls_json, labels, out_dir):
    """Label Studio's own CONLL2003 export of a Label Studio JSON export -> path of result.conll."""
    from label_studio_sdk.converter import Converter
    conv = Converter(config=ls_config(labels), project_dir=str(out_dir), download_resources=False)
    conv.convert(str(ls_json), str(out_dir), "CONLL2003", is_dir=False)
    return Path(out_dir) / "result.conll"


def ls_expected_entities(doc):
    """The truth's spans as Label Studio's converter sees them: every token (NLTK Treebank, with LS's
    punctuation rules) that overlaps a span is in it; tokens are written without the whitespace."""
    import label_studio_sdk.converter.utils  # noqa: F401  (sets LS's Treebank punctuation rules)
    from nltk.tokenize.treebank import TreebankWordTokenizer
    text = doc["text"]
    toks = list(TreebankWordTokenizer().span_tokenize(text))
    out = []
    for s, e, l in truth_spans(doc):
        cover = [text[a:b] for a, b in toks if a < e and b > s]
        out.append((l, "".join(cover)))
    return out


def check_ls_conll(rep, name, path, truth):
    """Label Studio's CONLL2003 (one -DOCSTART-, one blank-line block per task) against the truth."""
    try:
        docs = parse_conll(path)
    except (OSError, ValueError) as e:
        return rep.fail(f"{name}: cannot read {Path(path).name}: {e}")
    blocks = [sent for doc in docs for sent in doc]
    if not rep.check(len(blocks) == len(truth), f"{name}: {len(blocks)} task blocks, want {len(truth)}"):
        return
    widened = 0
    for block, t in zip(blocks, truth):
        did = t.get("id")
        ents = strict_entities(rep, f"{name}: {did}", block, "iob2") or []
        got = [(l, "".join(toks)) for l, toks in ents]
        want = ls_expected_entities(t)
        rep.check(got == want, f"{name}: {did}: entities differ: {describe_diff(got, want)}")
        # And plainly against the span texts: each is inside its entity's tokens.
        plain = truth_entities(t)
        rep.check(len(got) == len(plain) and all(gl == pl and pt in gt for (gl, gt), (pl, pt) in zip(got, plain)),
                  f"{name}: {did}: entities do not hold the truth's span texts")
        widened += sum(g != p for g, p in zip(got, plain))
    return widened


# ---------------------------------------------------------------------------------------------
# 5: Hugging Face datasets

def check_hf_export(rep, name, folder, truth, cache):
    import datasets
    import huggingface_hub
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    huggingface_hub.utils.logging.set_verbosity_error()
    folder = Path(folder)
    if not rep.check((folder / "data.jsonl").is_file() and (folder / "README.md").is_file(),
                     f"{name}: no data.jsonl and README.md in the folder"):
        return
    rows = read_jsonl(folder / "data.jsonl")
    rep.check(all(set(r) == {"id", "tokens", "ner_tags"} and isinstance(r["id"], str) for r in rows),
              f"{name}: data.jsonl rows are not exactly {{id: str, tokens, ner_tags}}")
    rep.check(len({r.get("id") for r in rows}) == len(rows), f"{name}: sentence ids are not unique")
    try:
        ds = datasets.load_dataset(str(folder), cache_dir=str(cache))
    except Exception as e:  # noqa: BLE001 - any error of the library is the finding
        return rep.fail(f"{name}: datasets.load_dataset(folder) fails: {type(e).__name__}: {e}")
    if not rep.check(list(ds.keys()) == ["train"], f"{name}: splits {list(ds.keys())}, want ['train']"):
        return
    split = ds["train"]
    feats = split.features
    rep.check(list(feats) == ["id", "tokens", "ner_tags"], f"{name}: columns {list(feats)}")
    rep.check(feats.get("id") == datasets.Value("string"), f"{name}: id is {feats.get('id')}, want Value('string')")
    tok = getattr(feats.get("tokens"), "feature", None)
    rep.check(tok == datasets.Value("string"), f"{name}: tokens is {feats.get('tokens')}, want List(Value('string'))")
    cl = getattr(feats.get("ner_tags"), "feature", None)
    if not rep.check(isinstance(cl, datasets.ClassLabel),
                     f"{name}: ner_tags is {feats.get('ner_tags')}, want List(ClassLabel(...)) (the card's features)"):
        return
    names = cl.names
    labels = sorted({l for t in truth for _, _, l in truth_spans(t)})
    rep.check(names[:1] == ["O"] and all(re.match(r"^[BI]-.", n) for n in names[1:]) and len(set(names)) == len(names),
              f"{name}: ClassLabel names are not IOB2 tags with O first: {names}")
    rep.check(all(f"{p}-{l}" in names for l in labels for p in "BI"),
              f"{name}: ClassLabel names lack B-/I- of some labels: {names}")
    loaded = split.to_list()
    rep.check(loaded == rows, f"{name}: the loaded rows differ from data.jsonl")
    # The entities, read strictly as IOB2, are the truth's spans (documents in order).
    got = []
    for r in loaded:
        sent = list(zip(r["tokens"], [cl.int2str(i) for i in r["ner_tags"]]))
        got.extend((l, "".join(toks)) for l, toks in (strict_entities(rep, f"{name}: {r['id']}", sent, "iob2") or []))
    want = [e for t in truth for e in truth_entities(t)]
    rep.check(got == want, f"{name}: entities differ from the truth: {describe_diff(got, want)}")
    rep.check(nows("".join(tok for r in loaded for tok in r["tokens"])) == nows("".join(t["text"] for t in truth)),
              f"{name}: the tokens are not the texts (whitespace aside)")
    # The same through the json builder with the features declared in the card.
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCard.load(folder / "README.md").data)
    card_feats = next(iter(infos.values())).features if infos else None
    if rep.check(card_feats is not None, f"{name}: the card declares no dataset_info features"):
        try:
            js = datasets.load_dataset("json", data_files=str(folder / "data.jsonl"), features=card_feats,
                                       cache_dir=str(cache), split="train")
            rep.check(js.features == feats and js.to_list() == loaded,
                      f"{name}: load_dataset('json', features=card) differs from load_dataset(folder)")
        except Exception as e:  # noqa: BLE001
            rep.fail(f"{name}: load_dataset('json', features=card) fails: {type(e).__name__}: {e}")


def hf_card(names):
    """The dataset card that datasets 5.2 reads (ner_tags as a list of ClassLabel); names are JSON-quoted."""
    cls = "".join(f"          '{i}': {json.dumps(n)}\n" for i, n in enumerate(names))
    return ("---\n"
            "configs:\n"
            "- config_name: default\n"
            "  data_files:\n"
            "  - split: train\n"
            "    path: data.jsonl\n"
            "dataset_info:\n"
            "  features:\n"
            "  - name: id\n"
            "    dtype: string\n"
            "  - name: tokens\n"
            "    sequence: string\n"
            "  - name: ner_tags\n"
            "    sequence:\n"
            "      class_label:\n"
            "        names:\n"
            f"{cls}"
            "---\n\n# NER dataset\n")


# ---------------------------------------------------------------------------------------------
# The run against the binary

def dev_slices(n_docs=3):
    """The first n documents of CoNLL-2003 dev, as the file has them (the first document has no
    -DOCSTART- line: that one stands at the end of the file), and the first n that start with a
    -DOCSTART- line; None when the file is missing."""
    if not DEV.is_file():
        return None
    lines = DEV.read_bytes().decode("utf-8").splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith("-DOCSTART-")]
    if len(starts) <= n_docs:
        return None
    first = starts[n_docs - 1] if starts[0] > 0 else starts[n_docs]
    return {"first 3 documents": "".join(lines[:first]),
            "3 documents from the first -DOCSTART-": "".join(lines[starts[0]:starts[n_docs]])}


def run_binary(binary):
    rep = Report()
    tw = Binary(binary, rep)
    truth = read_jsonl(FIX / "truth.jsonl")
    labels = sorted({l for t in truth for _, _, l in truth_spans(t)})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        # 1. Files of the real tools -> truth.
        doccano = read_jsonl(FIX / "doccano-export.jsonl")
        p = tmp / "from-doccano"
        if tw("new", p) and tw("add", p, FIX / "doccano-export.jsonl", "--format", "doccano", "--add-labels") \
                and tw("export", p, "--format", "jsonl", "-o", tmp / "from-doccano.jsonl"):
            check_jsonl_vs_truth(rep, "doccano fixture -> jsonl", tmp / "from-doccano.jsonl", truth,
                                 strip_text=True, ids=[d["id"] for d in doccano])
            # Exported to doccano again: doccano's own texts, with every span (the 4th document's
            # realigned on import) on the truth's characters in UTF-16.
            if tw("export", p, "--format", "doccano", "-o", tmp / "doccano-again.jsonl"):
                again = read_jsonl(tmp / "doccano-again.jsonl")
                rep.check([a.get("text") for a in again] == [d["text"] for d in doccano],
                          "doccano fixture -> doccano: not doccano's texts back")
                check_doccano_export(rep, "doccano fixture -> doccano", tmp / "doccano-again.jsonl", truth)
        p = tmp / "from-ls"
        if tw("new", p) and tw("add", p, FIX / "labelstudio-export.json", "--format", "labelstudio", "--add-labels") \
                and tw("export", p, "--format", "jsonl", "-o", tmp / "from-ls.jsonl"):
            check_jsonl_vs_truth(rep, "Label Studio fixture -> jsonl", tmp / "from-ls.jsonl", truth, strip_text=True)

        # 2. truth -> the tools' units.
        p = tmp / "truth"
        if not (tw("new", p) and tw("add", p, FIX / "truth.jsonl", "--format", "jsonl", "--add-labels")):
            return rep
        if tw("export", p, "--format", "jsonl", "-o", tmp / "truth-again.jsonl"):
            check_jsonl_vs_truth(rep, "truth -> jsonl", tmp / "truth-again.jsonl", truth, ids=[t["id"] for t in truth])
        if tw("export", p, "--format", "doccano", "-o", tmp / "doccano.jsonl"):
            check_doccano_export(rep, "truth -> doccano", tmp / "doccano.jsonl", truth, "utf16")
            q = tmp / "doccano-back"
            if tw("new", q) and tw("add", q, tmp / "doccano.jsonl", "--format", "doccano", "--add-labels") \
                    and tw("export", q, "--format", "jsonl", "-o", tmp / "doccano-back.jsonl"):
                check_jsonl_vs_truth(rep, "truth -> doccano -> jsonl", tmp / "doccano-back.jsonl", truth, strip_text=True)
        if grapheme_bounds("") is None:
            print("note: the `regex` module is missing: doccano grapheme offsets not checked")
        elif tw("export", p, "--format", "doccano", "--doccano-offsets", "graphemes", "-o", tmp / "doccano-g.jsonl"):
            check_doccano_export(rep, "truth -> doccano graphemes", tmp / "doccano-g.jsonl", truth, "graphemes")
            q = tmp / "doccano-g-back"
            if tw("new", q) and tw("add", q, tmp / "doccano-g.jsonl", "--format", "doccano", "--doccano-offsets",
                                   "graphemes", "--add-labels") \
                    and tw("export", q, "--format", "jsonl", "-o", tmp / "doccano-g-back.jsonl"):
                check_jsonl_vs_truth(rep, "truth -> doccano graphemes -> jsonl", tmp / "doccano-g-back.jsonl",
                                     truth, strip_text=True)
        ls_out = tmp / "labelstudio.json"
        if tw("export", p, "--format", "labelstudio", "-o", ls_out):
            check_labelstudio_export(rep, "truth -> labelstudio", ls_out, truth)
            q = tmp / "ls-back"
            if tw("new", q) and tw("add", q, ls_out, "--format", "labelstudio", "--add-labels") \
                    and tw("export", q, "--format", "jsonl", "-o", tmp / "ls-back.jsonl"):
                check_jsonl_vs_truth(rep, "truth -> labelstudio -> jsonl", tmp / "ls-back.jsonl", truth)

        # 3. Label Studio's converter.
        real = ls_convert_conll(FIX / "labelstudio-export.json", labels, tmp / "ls-real")
        rep.check(real.read_bytes() == (FIX / "labelstudio-export.conll").read_bytes(),
                  "Label Studio's converter does not reproduce labelstudio-export.conll from labelstudio-export.json")
        widened = check_ls_conll(rep, "labelstudio-export.conll", FIX / "labelstudio-export.conll", truth)
        print(f"note: Label Studio's CONLL2003 widens {widened} of {sum(len(t['spans']) for t in truth)} "
              "entities to whole Treebank tokens (e.g. “Japan, Russia’s)")
        if ls_out.is_file():
            conv_in = ls_out
            tasks = json.loads(ls_out.read_text(encoding="utf-8"))
            if isinstance(tasks, list) and any(isinstance(x, dict) and "id" not in x for x in tasks):
                # Already a FAIL above; give the converter task ids so the rest is still checked.
                print("note: our Label Studio tasks have no \"id\": the converter runs on a copy with ids 1..N")
                conv_in = tmp / "labelstudio-with-ids.json"
                conv_in.write_text(json.dumps([dict(x, id=x.get("id", i + 1)) for i, x in enumerate(tasks)]),
                                   encoding="utf-8")
            try:
                ours = ls_convert_conll(conv_in, labels, tmp / "ls-ours")
            except Exception as e:  # noqa: BLE001
                rep.fail(f"Label Studio's converter fails on our export: {type(e).__name__}: {e}")
            else:
                check_ls_conll(rep, "truth -> labelstudio -> LS CONLL2003", ours, truth)
                rep.check(ours.read_bytes() == real.read_bytes(),
                          "LS CONLL2003 of our export differs from the real Label Studio's")

        # 4. seqeval, strict.
        for scheme in ("iob1", "iob2", "bilou"):
            out = tmp / f"truth-{scheme}.conll"
            if tw("export", p, "--format", "conll", "--scheme", scheme, "-o", out):
                check_conll_export(rep, f"truth -> conll {scheme}", out, truth, scheme)
        devs = dev_slices()
        if devs is None:
            print(f"note: {DEV} is missing: the CoNLL-2003 round trip is skipped")
        for k, (what, dev) in enumerate((devs or {}).items()):
            src = tmp / f"dev{k}.conll"
            src.write_bytes(dev.encode("utf-8"))
            q = tmp / f"dev{k}"
            out = tmp / f"dev{k}-out.conll"
            if tw("new", q) and tw("add", q, src, "--format", "conll", "--add-labels") \
                    and tw("export", q, "--format", "conll", "--scheme", "iob1", "-o", out):
                a, b = out.read_bytes().decode("utf-8", "replace").splitlines(True), dev.splitlines(True)
                first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                rep.check(a == b and out.read_bytes() == dev.encode("utf-8"),
                          f"conll round trip (CoNLL-2003 dev, {what}, POS/chunk columns) is not byte-identical: "
                          f"line {first + 1}: {a[first:first + 1]!r} != {b[first:first + 1]!r} "
                          f"({len(a)} lines, want {len(b)})")

        # 5. Hugging Face datasets.
        if tw("export", p, "--format", "hf", "-o", tmp / "hf"):
            check_hf_export(rep, "truth -> hf", tmp / "hf", truth, tmp / "hf-cache")
    return rep


# ---------------------------------------------------------------------------------------------
# Self-test: every checker against hand-made files (a Python reference export of the truth), and
# against broken ones, which must fail. Needs no binary.

def ref_tokens(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|\S", text)]


def ref_conll(truth, scheme, cols=1):
    """A CoNLL export of the truth: one sentence per line, tokens \\w+ or one other character."""
    out = []
    for t in truth:
        out.append("-DOCSTART- -X- -X- O\n\n")
        spans = truth_spans(t)
        for line in re.finditer(r"[^\n]+", t["text"]):
            toks = [(a + line.start(), b + line.start()) for a, b in ref_tokens(line.group())]
            if not toks:
                continue
            tags = ["O"] * len(toks)
            prev_end = {}
            for s, e, l in spans:
                idx = [i for i, (a, b) in enumerate(toks) if a < e and b > s]
                if not idx:
                    continue
                assert toks[idx[0]][0] == s and toks[idx[-1]][1] == e, (t["id"], s, e)
                for k, i in enumerate(idx):
                    if scheme == "iob2":
                        tags[i] = ("B-" if k == 0 else "I-") + l
                    elif scheme == "bilou":
                        tags[i] = ("U-" if len(idx) == 1 else "B-" if k == 0 else "L-" if k == len(idx) - 1
                                   else "I-") + l
                    else:
                        touching = idx[0] > 0 and prev_end.get(idx[0] - 1) == l
                        tags[i] = ("B-" if k == 0 and touching else "I-") + l
                prev_end[idx[-1]] = l
            for (a, b), tag in zip(toks, tags):
                out.append(f"{t['text'][a:b]}{' _' * (cols - 1)} {tag}\n")
            out.append("\n")
    return "".join(out)


def self_test():
    rep = Report()
    truth = read_jsonl(FIX / "truth.jsonl")
    labels = sorted({l for t in truth for _, _, l in truth_spans(t)})

    def expect_fail(what, fn):
        """fn must report at least one failure (on a broken file); its FAIL lines are hidden."""
        inner = Report()
        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()):
            fn(inner)
        rep.check(inner.failed > 0, f"self-test: the check did not catch {what}")

    # Offsets helpers.
    s = "a😀b🇨🇳c"
    rep.check([cp_to_utf16(s, i) for i in range(len(s) + 1)] == [0, 1, 3, 4, 6, 8, 9], "self-test: cp_to_utf16")
    rep.check([utf16_to_cp(s, u) for u in (0, 1, 3, 4, 6, 8, 9)] == list(range(len(s) + 1)), "self-test: utf16_to_cp")
    rep.check(utf16_slice(s, 1, 3) == "😀" and utf16_slice(s, 4, 8) == "🇨🇳", "self-test: utf16_slice")
    try:
        utf16_to_cp(s, 2)
        rep.fail("self-test: utf16_to_cp accepted an offset inside a surrogate pair")
    except ValueError:
        rep.passed += 1
    g = grapheme_bounds("Cafe\u0301 👍🏽 🇨🇳🇷🇺\r\n.")
    rep.check(g is None or g == [0, 1, 2, 3, 5, 6, 8, 9, 11, 13, 15, 16], f"self-test: grapheme bounds {g}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def write(name, content):
            path = tmp / name
            path.write_text(content, encoding="utf-8")
            return path

        # 1. The fixtures themselves: doccano's file read as UTF-16 is the truth, ids included,
        # except its 4th document: doccano dropped the text's leading space but kept the offsets,
        # which are those of the text with the space, so read literally every span there is one
        # character to the right ("022-12-30 " for "2022-12-30"); the checks must say so.
        dcc = FIX / "doccano-export.jsonl"
        dcc_lines = read_jsonl(dcc)
        as_jsonl = [{"id": d["id"], "text": d["text"],
                     "spans": [{"start": utf16_to_cp(d["text"], a), "end": utf16_to_cp(d["text"], b), "label": l}
                               for a, b, l in d["label"]]} for d in dcc_lines]
        for sel, ok in ((slice(0, 3), True), (slice(3, 4), False)):
            sub = truth[sel]
            f_dcc = write(f"dcc-{sel.start}.jsonl", "".join(json.dumps(d) + "\n" for d in dcc_lines[sel]))
            f_js = write(f"dccjs-{sel.start}.jsonl", "".join(json.dumps(d) + "\n" for d in as_jsonl[sel]))
            ids = [d["id"] for d in as_jsonl[sel]]
            if ok:
                check_doccano_export(rep, "self-test doccano fixture", f_dcc, sub, "utf16")
                check_jsonl_vs_truth(rep, "self-test doccano fixture as jsonl", f_js, sub, strip_text=True, ids=ids)
            else:
                expect_fail("doccano fixture doc 4 (shifted)", lambda r: check_doccano_export(r, "x", f_dcc, sub, "utf16"))
                expect_fail("doccano fixture doc 4 read literally",
                            lambda r: check_jsonl_vs_truth(r, "x", f_js, sub, strip_text=True, ids=ids))
        raw = [{"id": d["id"], "text": d["text"], "spans": [{"start": a, "end": b, "label": l} for a, b, l in d["label"]]}
               for d in dcc_lines[:3]]
        expect_fail("UTF-16 offsets taken for code points", lambda r: check_jsonl_vs_truth(
            r, "x", write("raw.jsonl", "".join(json.dumps(d) + "\n" for d in raw)), truth[:3], strip_text=True))
        grown = [dict(d, id="0001-" + d["id"]) for d in as_jsonl[:3]]
        expect_fail("grown ids", lambda r: check_jsonl_vs_truth(
            r, "x", write("grown.jsonl", "".join(json.dumps(d) + "\n" for d in grown)), truth[:3], strip_text=True,
            ids=[d["id"] for d in as_jsonl[:3]]))

        # 2. doccano in code points must fail; graphemes reference passes.
        cp = [{"id": t["id"], "text": t["text"], "label": [[a, b, l] for a, b, l in truth_spans(t)]} for t in truth]
        expect_fail("doccano offsets in code points",
                    lambda r: check_doccano_export(r, "x", write("cp.jsonl", "".join(json.dumps(d) + "\n" for d in cp)),
                                                   truth, "utf16"))
        if g is not None:
            gr = [{"id": t["id"], "text": t["text"],
                   "label": [[grapheme_bounds(t["text"]).index(a), grapheme_bounds(t["text"]).index(b), l]
                             for a, b, l in truth_spans(t)]} for t in truth]
            check_doccano_export(rep, "self-test doccano graphemes",
                                 write("g.jsonl", "".join(json.dumps(d) + "\n" for d in gr)), truth, "graphemes")
            expect_fail("UTF-16 offsets read as graphemes",
                        lambda r: check_doccano_export(r, "x", tmp / "dcc-0.jsonl", truth[:3], "graphemes"))

        # Label Studio: the real export passes; one in UTF-16 code units must fail.
        check_labelstudio_export(rep, "self-test Label Studio fixture", FIX / "labelstudio-export.json", truth)
        tasks = json.loads((FIX / "labelstudio-export.json").read_text(encoding="utf-8"))
        for task in tasks:
            text = task["data"]["text"]
            for res in ls_results(task):
                res["value"]["start"] = cp_to_utf16(text, res["value"]["start"])
                res["value"]["end"] = cp_to_utf16(text, res["value"]["end"])
        bad_ls = write("ls16.json", json.dumps(tasks, ensure_ascii=False))
        expect_fail("Label Studio offsets in UTF-16", lambda r: check_labelstudio_export(r, "x", bad_ls, truth))

        # 3. Label Studio's converter reproduces the real CONLL2003; the parser reads it as the truth.
        real = ls_convert_conll(FIX / "labelstudio-export.json", labels, tmp / "ls-real")
        rep.check(real.read_bytes() == (FIX / "labelstudio-export.conll").read_bytes(),
                  "self-test: Label Studio's converter does not reproduce labelstudio-export.conll")
        check_ls_conll(rep, "self-test labelstudio-export.conll", FIX / "labelstudio-export.conll", truth)
        bad = ls_convert_conll(bad_ls, labels, tmp / "ls-bad")
        expect_fail("Label Studio's CONLL of UTF-16 offsets", lambda r: check_ls_conll(r, "x", bad, truth))

        # 4. Reference CoNLL exports pass in their scheme; broken sequences fail.
        for scheme in ("iob1", "iob2", "bilou"):
            f = write(f"ref-{scheme}.conll", ref_conll(truth, scheme))
            check_conll_export(rep, f"self-test conll {scheme}", f, truth, scheme)
        iob2 = ref_conll(truth, "iob2")
        expect_fail("IOB2 read as IOB1 (B- after O)",
                    lambda r: check_conll_export(r, "x", write("a.conll", iob2), truth, "iob1"))
        expect_fail("IOB1 read as IOB2 (I- after O)",
                    lambda r: check_conll_export(r, "x", write("b.conll", ref_conll(truth, "iob1")), truth, "iob2"))
        expect_fail("IOB2 read as BILOU",
                    lambda r: check_conll_export(r, "x", write("c.conll", iob2), truth, "bilou"))
        expect_fail("a dropped entity", lambda r: check_conll_export(
            r, "x", write("d.conll", iob2.replace("Kishida B-PER", "Kishida O", 1)), truth, "iob2"))
        expect_fail("a shifted entity", lambda r: check_conll_export(
            r, "x", write("e.conll", iob2.replace("Prime O\nMinister O\nFumio B-PER\nKishida I-PER",
                                                  "Prime O\nMinister B-PER\nFumio I-PER\nKishida O", 1)), truth, "iob2"))
        rt = ref_conll(truth, "iob1", cols=4)
        rep.check(parse_conll(write("f.conll", rt)) == parse_conll(write("g.conll", ref_conll(truth, "iob1"))),
                  "self-test: the parser reads 4 columns differently from 2")
        devs = dev_slices()
        for what, dev in (devs or {}).items():
            docs = parse_conll(write("dev.conll", dev))
            rep.check(len(docs) == 3 and all(len(sent[0]) == 2 for doc in docs for sent in doc),
                      f"self-test: CoNLL-2003 dev, {what}: not 3 documents")
            rep.check(all(len(re.split(r"[ \t]+", l)) == 4 for l in dev.splitlines() if l.strip()),
                      f"self-test: CoNLL-2003 dev, {what}: not 4 columns")

        # 5. A hand-made hf folder with the card loads; without the card ner_tags are plain ints.
        names = ["O"] + [f"{p}-{l}" for l in labels for p in "BI"]
        rows = []
        for d, doc in enumerate(parse_conll(write("h.conll", iob2))):
            for k, sent in enumerate(doc):
                rows.append({"id": f"{truth[d]['id']}-{k}", "tokens": [a for a, _ in sent],
                             "ner_tags": [names.index(b) for _, b in sent]})
        hf = tmp / "hf"
        hf.mkdir()
        (hf / "data.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        (hf / "README.md").write_text(hf_card(names), encoding="utf-8")
        check_hf_export(rep, "self-test hf", hf, truth, tmp / "hf-cache")
        hf2 = tmp / "hf-no-card"
        hf2.mkdir()
        (hf2 / "data.jsonl").write_bytes((hf / "data.jsonl").read_bytes())
        (hf2 / "README.md").write_text("# no YAML header\n", encoding="utf-8")
        expect_fail("an hf folder without features in its card",
                    lambda r: check_hf_export(r, "x", hf2, truth, tmp / "hf-cache2"))
    return rep


def main():
    if sys.argv[1:] == ["--self-test"]:
        rep = self_test()
    else:
        binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "tagwright")
        rep = run_binary(binary)
    print(f"tool interop: {rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
