//! End-to-end tests of who speaks: `marginalia characters`, the `character` and `attribution` columns of
//! `quotes.csv`, `characters.csv` and `speakers.png` in `analyze`, and `--speech-verbs`. The story is written here;
//! each expected figure is counted by hand from it.

mod common;

use std::fs;

use common::{run, stderr, stdout_table as rows, table};

/// A short scene: Emma and Mr. Knightley talk; Emma is named four times (twice in tags), Mr. Knightley twice.
const SCENE: &str = "Mr. Knightley came in at noon. Emma Woodhouse looked up from her book, and Mr. Knightley \
smiled at Emma.\n\n\
“You are late,” said Emma.\n\n\
“I walked all the way,” he replied.\n\n\
“All the way from Donwell?”\n\n\
“All the way.”\n\n\
“Then sit down,” said Emma. “You must be tired.”\n";

fn scene(dir: &std::path::Path) {
    fs::write(dir.join("scene.txt"), SCENE).unwrap();
}

#[test]
fn every_quotation_of_a_conversation_is_given_its_character_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path());
    let quotes = rows(&run(&["quotes", "scene.txt"], dir.path()));
    let got: Vec<(&str, &str)> = quotes.iter().map(|r| (r["character"].as_str(), r["attribution"].as_str())).collect();
    assert_eq!(
        got,
        [
            ("Emma", "tag"),
            ("Mr. Knightley", "pronoun"),
            ("Emma", "turn"),
            ("Mr. Knightley", "turn"),
            ("Emma", "tag"),
            ("Emma", "inherited"),
        ]
    );
    assert_eq!((quotes[1]["speaker"].as_str(), quotes[1]["speech_verb"].as_str()), ("he", "replied"));
}

#[test]
fn the_characters_table_counts_what_each_says() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path());
    let characters = rows(&run(&["characters", "scene.txt"], dir.path()));
    let emma = characters.iter().find(|r| r["character"] == "Emma").expect("Emma is a character");
    // Emma: “You are late” (3 words), “All the way from Donwell?” (5), “Then sit down” (3), “You must be tired.” (4).
    assert_eq!((emma["quotations"].as_str(), emma["words_spoken"].as_str()), ("4", "15"));
    assert_eq!((emma["gender"].as_str(), emma["mentions"].as_str()), ("female", "4"));
    let knightley = characters.iter().find(|r| r["character"] == "Mr. Knightley").expect("Mr. Knightley");
    // “I walked all the way” (5), “All the way” (3); stopwords left out of his top words, `way` twice.
    assert_eq!((knightley["quotations"].as_str(), knightley["words_spoken"].as_str()), ("2", "8"));
    assert_eq!(knightley["mentions"], "2");
    assert_eq!((knightley["gender"].as_str(), knightley["top_words"].as_str()), ("male", "way walked"));
    // Most words spoken first.
    assert_eq!(characters[0]["character"], "Emma");
}

#[test]
fn analyze_writes_the_characters_table_and_the_who_speaks_chart() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path());
    let out = run(&["analyze", "scene.txt", "--out", "out"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let characters = table(&dir.path().join("out/characters.csv"));
    assert!(characters.iter().any(|r| r["character"] == "Mr. Knightley" && r["document"] == "scene"));
    assert!(dir.path().join("out/charts/scene/speakers.png").is_file());
}

#[test]
fn a_speech_verb_file_replaces_the_list_and_a_bad_one_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    // `bellowed` is in the embedded list; a list without it finds no tag. (Subject first: a verb before a name
    // after a speech's comma is a tag whatever the list.)
    fs::write(dir.path().join("story.txt"), "“Go,” Emma bellowed.\n").unwrap();
    let embedded = rows(&run(&["quotes", "story.txt"], dir.path()));
    assert_eq!(embedded[0]["speaker"], "Emma");
    fs::write(dir.path().join("verbs.txt"), "# mine\nsaid\n").unwrap();
    let mine = rows(&run(&["quotes", "story.txt", "--speech-verbs", "verbs.txt"], dir.path()));
    assert_eq!(mine[0]["speaker"], "");
    fs::write(dir.path().join("blank.txt"), "said\n\nasked\n").unwrap();
    let out = run(&["quotes", "story.txt", "--speech-verbs", "blank.txt"], dir.path());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("blank.txt:2: an empty line"), "{}", stderr(&out));
    fs::write(dir.path().join("two.txt"), "said\nwent on\n").unwrap();
    let out = run(&["quotes", "story.txt", "--speech-verbs", "two.txt"], dir.path());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("two.txt:2: expected one word per line, found 'went on'"), "{}", stderr(&out));
}
