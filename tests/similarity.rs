//! `similarity.csv`: cosine, Burrows's Delta and Eder's Delta checked against the arithmetic done by hand, as
//! stylo's `dist.cosine`, `dist.delta` and `dist.eder` define them.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{run, stderr, table};

/// (document_a, document_b, measure) → value.
fn values(path: &Path) -> HashMap<(String, String, String), f64> {
    let rows = table(path);
    let key = |r: &HashMap<String, String>| (r["document_a"].clone(), r["document_b"].clone(), r["measure"].clone());
    rows.iter().map(|r| (key(r), r["value"].parse().unwrap())).collect()
}

fn three_documents(dir: &Path) {
    fs::create_dir(dir.join("texts")).unwrap();
    for (name, text) in [("a.txt", "The the cat dog."), ("b.txt", "The dog dog a."), ("c.txt", "The cat.")] {
        fs::write(dir.join("texts").join(name), text).unwrap();
    }
}

#[test]
fn cosine_and_the_deltas_equal_the_arithmetic_done_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    three_documents(dir.path());
    let out = run(&["analyze", "texts", "--charts", "none", "--mfw", "3"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = values(&dir.path().join("output/similarity.csv"));
    assert_eq!(got.len(), 9, "3 pairs × 3 measures: {got:?}");
    // Corpus counts: the 4, dog 3, cat 2, a 1; with --mfw 3 the words are the, dog, cat ("a" is cut).
    // Relative frequencies (count / the document's words: 4, 4 and 2):
    //          the    dog    cat
    //   a      0.5    0.25   0.25
    //   b      0.25   0.5    0
    //   c      0.5    0      0.5
    // Means: the 1.25/3 = 0.416667, dog 0.75/3 = 0.25, cat 0.25.
    // Sample standard deviations (n − 1 = 2, as R's scale):
    //   the √((0.083333² + 0.166667² + 0.083333²) / 2) = √(0.041667 / 2) = 0.144338
    //   dog √((0² + 0.25² + 0.25²) / 2) = 0.25;  cat the same, 0.25.
    // z-scores:  the: a 0.577350, b −1.154701, c 0.577350;  dog: a 0, b 1, c −1;  cat: a 0, b −1, c 1.
    // Burrows's Delta, the mean of |zₐ − z_b| over the 3 words:
    //   a–b (1.732051 + 1 + 1) / 3 = 1.244017;  a–c (0 + 1 + 1) / 3 = 0.666667;  b–c (1.732051 + 2 + 2) / 3 = 1.910684
    // Eder's Delta, Σ |zₐ − z_b| · (n − i + 2)/n with n = 3: weights 4/3, 1, 2/3, not divided by n:
    //   a–b 1.732051·4/3 + 1 + 2/3 = 3.976068;  a–c 0 + 1 + 2/3 = 1.666667;  b–c 2.309401 + 2 + 4/3 = 5.642734
    // Cosine of the relative frequencies: |a| = √0.375 = 0.612372, |b| = √0.3125 = 0.559017, |c| = √0.5 = 0.707107
    //   a–b 0.25 / (0.612372·0.559017) = 0.730297;  a–c 0.375 / (0.612372·0.707107) = 0.866025;
    //   b–c 0.125 / (0.559017·0.707107) = 0.316228
    let expected = [
        ("a", "b", [0.730297, 1.244017, 3.976068]),
        ("a", "c", [0.866025, 0.666667, 1.666667]),
        ("b", "c", [0.316228, 1.910684, 5.642734]),
    ];
    for (a, b, measures) in expected {
        for (measure, value) in ["cosine", "burrows_delta", "eder_delta"].into_iter().zip(measures) {
            let key = (a.to_string(), b.to_string(), measure.to_string());
            let found = got.get(&key).unwrap_or_else(|| panic!("no row {key:?} in {got:?}"));
            // The table rounds to 4 decimals.
            assert!((found - value).abs() <= 5e-5, "{key:?}: {found} against {value} by hand");
        }
    }
}

#[test]
fn only_the_first_document_charts_documents_are_compared_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    three_documents(dir.path());
    let out = run(&["analyze", "texts", "--charts", "none", "--document-charts", "2"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("similarity.csv compares the pairs of the first 2 of 3 documents"),
        "{}",
        stderr(&out)
    );
    let pairs: Vec<(String, String)> = table(&dir.path().join("output/similarity.csv"))
        .iter()
        .map(|r| (r["document_a"].clone(), r["document_b"].clone()))
        .collect();
    assert_eq!(pairs, vec![("a".to_string(), "b".to_string()); 3]);
    let out = run(&["analyze", "texts", "--charts", "none", "--skip-tables", "similarity", "--out", "x"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("x/similarity.csv").exists() && dir.path().join("x/keyness.csv").exists());
}

/// On the literary corpus beside the project (`LITERARY_CORPUS` overrides the path), each Austen novel present in
/// two editions has the other edition as its nearest neighbour by Burrows's Delta.
#[test]
#[ignore = "needs ../shared/corpus/literary"]
fn two_editions_of_a_novel_are_each_others_nearest_neighbours() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/literary");
    let root = std::env::var("LITERARY_CORPUS").unwrap_or(default.into());
    let dir = tempfile::tempdir().unwrap();
    let args = ["analyze", &root, "--charts", "none", "--document-charts", "all", "--skip-tables", "sentences"];
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let delta: Vec<(String, String, f64)> = table(&dir.path().join("output/similarity.csv"))
        .iter()
        .filter(|r| r["measure"] == "burrows_delta")
        .map(|r| (r["document_a"].clone(), r["document_b"].clone(), r["value"].parse().unwrap()))
        .collect();
    let nearest = |doc: &str| {
        let others = delta.iter().filter_map(|(a, b, v)| match (a == doc, b == doc) {
            (true, _) => Some((b.as_str(), *v)),
            (_, true) => Some((a.as_str(), *v)),
            _ => None,
        });
        others.min_by(|x, y| x.1.total_cmp(&y.1)).map(|(d, _)| d.to_string()).unwrap_or_default()
    };
    let mut documents: Vec<&str> = delta.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()]).collect();
    documents.sort();
    documents.dedup();
    for doc in &documents {
        eprintln!("{doc} → {}", nearest(doc));
    }
    let id = |path: &str| {
        documents.iter().find(|d| d.ends_with(path.trim_end_matches(".txt"))).map(|d| d.to_string()).unwrap_or_default()
    };
    for (one, other) in [
        ("janeausten/austen-emma.txt", "nltk-gutenberg/austen-emma.txt"),
        ("janeausten/austen-persuasion.txt", "nltk-gutenberg/austen-persuasion.txt"),
        ("janeausten/austen-sense-and-sensibility.txt", "nltk-gutenberg/austen-sense.txt"),
    ] {
        let (one, other) = (id(one), id(other));
        assert!(!one.is_empty() && !other.is_empty(), "{documents:?}");
        assert_eq!((nearest(&one), nearest(&other)), (other.clone(), one.clone()));
    }
}
