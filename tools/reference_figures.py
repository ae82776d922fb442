#!/usr/bin/env python3
"""The reference figures beside the tests of `documents.csv`'s readability and lexical-diversity batteries
(src/analysis/readability.rs, src/analysis/diversity.rs, src/analysis/stats.rs), from independent implementations:
textstat 0.7.13 (readability: its counts and its unrounded indices) and lexicalrichness 0.5.1 (MTLD, HD-D, Yule's K
on a list of tokens, one per line, as marginalia normalises them). Run once; the figures are kept in the tests.

    python3 -m venv /tmp/rv && /tmp/rv/bin/pip install textstat==0.7.13 lexicalrichness==0.5.1
    /tmp/rv/bin/python tools/reference_figures.py texts/never-let-me-go-review.txt review-tokens.txt

review-tokens.txt holds the review's words as `documents.csv` counts them, one a line in text order: each token's
normalised form (`doc.forms[token.form()].norm` for each of `Pipeline::default().document(..).tokens`).

nltk cannot always download CMUdict: textstat is given an empty one, so it counts every syllable with Pyphen
(the figures in the tests were made so).
"""

import sys

import nltk

nltk.data.find = lambda *a, **k: None
nltk.corpus.cmudict = type("Empty", (), {"dict": staticmethod(lambda: {})})

from lexicalrichness import LexicalRichness  # noqa: E402
from textstat.backend import counts as c, metrics as m  # noqa: E402

LANG = "en_US"
text = open(sys.argv[1], encoding="utf-8").read()
print("textstat counts: words", c.count_words(text), "sentences", c.count_sentences(text),
      "syllables", c.count_syllables(text, LANG), "polysyllables", c.count_polysyllable_words(text, LANG),
      "letters", c.count_letters(text), "chars", c.count_chars(text, True),
      "words_with_punctuation", c.count_words(text, rm_punctuation=False),
      "difficult", c.count_difficult_words(text, LANG, 3))
print("textstat indices: fk %r fog %r smog %r cli %r ari %r" % (
    m.flesch_kincaid_grade(text, LANG), m.gunning_fog(text, LANG), m.smog_index(text, LANG),
    m.coleman_liau_index(text), m.automated_readability_index(text)))
for tokens in sys.argv[2:]:
    words = open(tokens, encoding="utf-8").read().split()
    lex = LexicalRichness(words, preprocessor=None, tokenizer=None)
    print(tokens, "tokens", lex.words, "types", lex.terms,
          "mtld %r hdd %r yulek %r" % (lex.mtld(threshold=0.72), float(lex.hdd(draws=42)), float(lex.yulek)))
