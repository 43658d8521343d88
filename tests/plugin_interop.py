"""The spaCy plug-in recognizer (examples/spacy_recognizer.py) with the real spaCy, through
`tagwright suggest`: its spans arrive with source "spacy", mapped to Tagwright's labels, at the
right code points (an emoji before an entity is one code point here, two UTF-16 units).

Usage: python tests/plugin_interop.py TAGWRIGHT_BINARY  (run by .ci/run in its venv).
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = "Angela Merkel met \U0001F600 Emmanuel Macron in Paris on Friday."


def main():
    binary = sys.argv[1]
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(HERE, "..", "examples", "spacy_recognizer.py")
        with open(os.path.join(d, "recognizers.ron"), "w") as f:
            f.write(
                '[(name: "spacy", command: [%s, %s], labels: {"PERSON": "PER", "GPE": "LOC"}, timeout_s: 60.0, priority: 4)]'
                % (json.dumps(sys.executable), json.dumps(script))
            )
        article = os.path.join(d, "a.txt")
        with open(article, "w") as f:
            f.write(TEXT)
        env = dict(os.environ, TAGWRIGHT_CONFIG=d)
        out = subprocess.run([binary, "suggest", article], env=env, capture_output=True, text=True)
        check(out.returncode == 0, "suggest exits 0: " + out.stderr)
        check("warning" not in out.stderr, "no warning: " + out.stderr)
        line = json.loads(out.stdout.splitlines()[0])
        spacy_spans = [s for s in line["spans"] if s["source"] == "spacy"]
        got = {(TEXT[s["start"]:s["end"]], s["label"]) for s in spacy_spans}
        # Priority 4 puts spaCy above the built-in recognizers where they overlap.
        check(len(spacy_spans) > 0, "spaCy suggested something: %s" % line["spans"])
        for s in spacy_spans:
            check(TEXT[s["start"]:s["end"]].strip() == TEXT[s["start"]:s["end"]], "trimmed: %s" % s)
            check(s["label"] in ("PER", "LOC", "ORG", "DATE", "MISC"), "mapped label: %s" % s)
        for want in [("Emmanuel Macron", "PER"), ("Paris", "LOC"), ("Angela Merkel", "PER")]:
            check(want in got, "spaCy's %s %s at the right code points: %s" % (want + (got,)))
    print("plugin interop (spaCy %s): %d passed, %d failed" % (spacy_version(), passed, failed))
    sys.exit(1 if failed else 0)


def spacy_version():
    import spacy

    return spacy.__version__


if __name__ == "__main__":
    main()
