use marginalia::analysis::collocations::{CollocationOptions, collocations};
use marginalia::analysis::ngrams::{NgramCounter, NgramOptions};
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::Pipeline;
use std::time::Instant;
fn main() {
    let mut files = vec![];
    for d in std::fs::read_dir("../shared/corpus/literary").unwrap() {
        for f in std::fs::read_dir(d.unwrap().path()).unwrap() {
            files.push(f.unwrap().path());
        }
    }
    let p = Pipeline::default();
    let t = Instant::now();
    let docs: Vec<_> = files
        .iter()
        .map(|f| p.document(Source::from_text("x", std::fs::read_to_string(f).unwrap().as_str())))
        .collect();
    println!("core {:?}", t.elapsed());
    experiment(&docs);
    let t = Instant::now();
    let mut c = NgramCounter::new(NgramOptions::default());
    let mut n = 0;
    for d in &docs {
        n += c.document(d).len();
    }
    println!("ngrams docs {:?} {n}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for d in &docs {
        n += NgramCounter::new(NgramOptions::default()).document(d).len();
    }
    println!("ngrams fresh per doc {:?} {n}", t.elapsed());
    let t = Instant::now();
    let r = c.corpus_rows();
    println!("ngrams corpus {:?} {}", t.elapsed(), r.len());
    let themes = Lexicon::default_themes();
    let m = themes.compile(&p);
    let t = Instant::now();
    let hits: Vec<_> = docs.iter().map(|d| m.find(d)).collect();
    println!("find {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for (d, h) in docs.iter().zip(&hits) {
        n += collocations(d, &themes, h, &CollocationOptions::default()).len();
    }
    println!("colloc {:?} {n}", t.elapsed());
}
#[allow(dead_code)]
pub fn experiment(docs: &[marginalia::text::Document]) {
    use rustc_hash::FxHashMap;
    let t = Instant::now();
    let mut intern: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut corpus: FxHashMap<[u32; 8], (u32, u32)> = FxHashMap::default();
    let mut rows = 0;
    let (mut tl, mut tm, mut ti) = (std::time::Duration::ZERO, std::time::Duration::ZERO, std::time::Duration::ZERO);
    for d in docs {
        let t0 = Instant::now();
        let fid: Vec<u32> = d
            .forms
            .iter()
            .map(|f| {
                let n = intern.len() as u32;
                *intern.entry(f.norm.clone()).or_insert(n) + 1
            })
            .collect();
        let ids: Vec<u32> = d.tokens.iter().map(|t| fid[t.form as usize]).collect();
        let stop: Vec<bool> = d.tokens.iter().map(|t| d.forms[t.form as usize].stopword).collect();
        ti += t0.elapsed();
        let t0 = Instant::now();
        let mut local: FxHashMap<[u32; 8], u32> = FxHashMap::default();
        local.reserve(d.tokens.len());
        for n in 2..=3usize {
            for s in &d.sentences {
                let (a, b) = (s.first_token as usize, s.end_token as usize);
                for i in a..(b + 1).saturating_sub(n).max(a) {
                    if stop[i] || stop[i + n - 1] {
                        continue;
                    }
                    let mut k = [0u32; 8];
                    k[..n].copy_from_slice(&ids[i..i + n]);
                    *local.entry(k).or_default() += 1;
                }
            }
        }
        tl += t0.elapsed();
        let t0 = Instant::now();
        for (&k, &c) in &local {
            let e = corpus.entry(k).or_default();
            e.0 += c;
            e.1 += 1;
            if c >= 2 {
                rows += 1;
            }
        }
        tm += t0.elapsed();
    }
    println!("intern {ti:?} local {tl:?} merge {tm:?}");
    println!("experiment {:?} {rows} {}", t.elapsed(), corpus.len());
}
