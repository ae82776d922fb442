#!/usr/bin/env python3
"""Audit a theme or tone lexicon against a corpus: for each term, the word forms it matched, with counts and a few
contexts, so a term that catches unrelated words ("identity" <- identical, "irony" <- the Mock Turtle) shows.

Runs `marginalia analyze` with the lexicon as its theme lexicon (so the tone lexicon is audited through the same
`theme_terms.csv` and `concordance.csv`) and reads those two tables. Python 3 standard library only.

    python3 tools/lexicon_audit.py --bin target/release/marginalia --out /tmp/audit \
        --corpus ../shared/corpus/literary data/themes.toml data/tone.toml

Writes DIR/<lexicon>.txt (one block per category and term) and prints where. The report quotes a few words of
context per form: keep it out of the repository, which holds no corpus text.
"""

import argparse
import collections
import csv
import pathlib
import re
import subprocess
import sys

# Words as theme_terms.csv joins a phrase's forms: letters and digits, with inner apostrophes.
WORD = re.compile(r"\w+(?:'\w+)*")

# Every table but the two the audit reads (documents.csv cannot be skipped).
SKIP = ("chapters,vocabulary,ngrams,collocations,sentences,quotes,characters,voices,voice_themes,themes,"
        "theme_trend,theme_sentiment,tone_markers,tone,arc,metadata,corpus_vocabulary,keyness")


def run(binary, lexicon, corpus, out):
    """Analyses `corpus` with `lexicon` as the theme lexicon into `out`."""
    cmd = [binary, "analyze", *corpus, "--out", str(out), "--themes", str(lexicon), "--charts", "none", "-q",
           "--skip-tables", SKIP]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def read(out):
    """Counts per (category, term, form) and up to `contexts` contexts per (category, term, form)."""
    counts = collections.Counter()
    with open(out / "theme_terms.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            counts[(row["theme"], row["term"], row["form"])] += int(row["count"])
    contexts = collections.defaultdict(list)
    capitalised = collections.Counter()
    with open(out / "concordance.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            form = " ".join(WORD.findall(row["keyword"].lower().replace("\u2019", "'")))
            key = (row["theme"], row["term"], form)
            # A capitalised keyword after a capitalised word: a name, often ("the Mock Turtle").
            left = row["left"].split()
            if row["keyword"][:1].isupper() and left and left[-1][:1].isupper():
                capitalised[(row["theme"], row["term"])] += 1
            if len(contexts[key]) < 3:
                contexts[key].append(f'{row["document"]}: …{row["left"][-40:]} [{row["keyword"]}] '
                                     f'{row["right"][:40]}…')
    return counts, contexts, capitalised


def report(lexicon, counts, contexts, capitalised):
    """The audit as text: categories and terms in count order, each term's forms in count order."""
    by_term = collections.defaultdict(list)
    for (category, term, form), n in counts.items():
        by_term[(category, term)].append((n, form))
    lines = [f"# audit of {lexicon}", ""]
    categories = collections.defaultdict(list)
    for (category, term), forms in by_term.items():
        categories[category].append((sum(n for n, _ in forms), term, sorted(forms, key=lambda x: (-x[0], x[1]))))
    for category in sorted(categories):
        total = sum(t[0] for t in categories[category])
        lines.append(f"## [{category}] {total} hits")
        for n, term, forms in sorted(categories[category], key=lambda t: (-t[0], t[1])):
            names = capitalised.get((category, term), 0)
            lines.append(f"  {term}: {n}" + (f"  ({names} capitalised after a capital)" if names else ""))
            for count, form in forms:
                lines.append(f"      {form}: {count}")
                for context in contexts.get((category, term, form), [])[:2]:
                    lines.append(f"          {context}")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="target/release/marginalia", help="the marginalia binary")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="a folder for the runs and reports")
    parser.add_argument("--corpus", required=True, action="append", help="a file or folder to analyse (repeatable)")
    parser.add_argument("lexicons", nargs="+", type=pathlib.Path, help="TOML lexicons to audit")
    args = parser.parse_args()
    corpus = args.corpus
    for lexicon in args.lexicons:
        out = args.out / lexicon.stem
        run(args.bin, lexicon, corpus, out)
        text = report(lexicon, *read(out))
        path = args.out / f"{lexicon.stem}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        print(f"{lexicon}: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
