//! End-to-end tests of the charts: the binary on the sample review and on small files made here; each chart file
//! is decoded and checked for its size and for something drawn on it.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{BIN, analyze_sample, run, sample_path, stderr};

/// Every chart of a document.
const CHARTS: [&str; 9] =
    ["themes", "top_words", "theme_trend", "sentiment_arc", "tone", "quotes", "speakers", "theme_sentiment", "voices"];

/// Width, height and RGB pixels of a PNG.
fn decode(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Rgb, "{}", path.display());
    let pixels = buf[..frame.buffer_size()].chunks(3).map(|p| [p[0], p[1], p[2]]).collect();
    (frame.width, frame.height, pixels)
}

fn colours(pixels: &[[u8; 3]]) -> usize {
    pixels.iter().collect::<HashSet<_>>().len()
}

/// Pixels darker than mid-grey in the rows `rows` of the image: text or axes drawn there.
fn dark_pixels(width: u32, pixels: &[[u8; 3]], rows: std::ops::Range<u32>) -> usize {
    pixels[(rows.start * width) as usize..(rows.end * width) as usize]
        .iter()
        .filter(|p| p.iter().map(|&c| c as u32).sum::<u32>() < 3 * 100)
        .count()
}

#[test]
fn analyze_draws_every_chart_for_the_sample() {
    let dir = analyze_sample(&[]);
    let charts = dir.path().join("results/charts/never-let-me-go-review");
    let mut files: Vec<String> =
        fs::read_dir(&charts).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    let mut want: Vec<String> = CHARTS.iter().map(|name| format!("{name}.png")).collect();
    want.sort();
    assert_eq!(files, want);
    for name in CHARTS {
        let (w, h, pixels) = decode(&charts.join(format!("{name}.png")));
        assert_eq!((w, h), (1600, 1000), "{name}");
        // White, ink, and at least one colour of data (the heatmap and arc have many more).
        assert!(colours(&pixels) >= 3, "{name} looks blank");
        // The title band holds text.
        assert!(dark_pixels(w, &pixels, 0..80) > 200, "{name} has no title");
    }
    // Bars are drawn in the palette's blue: one bar per theme with a count in themes.csv.
    let (_, _, pixels) = decode(&charts.join("themes.png"));
    assert!(pixels.iter().filter(|p| **p == BLUE).count() > 11 * 1000, "too few bar pixels for 11 themes");
}

/// The bars' colour (Okabe–Ito blue).
const BLUE: [u8; 3] = [0, 114, 178];

/// The second series of paired bars (Okabe–Ito vermillion).
const VERMILLION: [u8; 3] = [213, 94, 0];

#[test]
fn voices_sets_dialogue_beside_narration_or_says_there_is_none() {
    // The review quotes eight words, which name three themes and no tone; its narration names 11 themes and 7
    // tones: a pair of bars for each of 18 categories, three of them with a dialogue bar.
    let dir = analyze_sample(&[]);
    let (w, h, pixels) = decode(&dir.path().join("results/charts/never-let-me-go-review/voices.png"));
    assert_eq!((w, h), (1600, 1000));
    let narration = pixels.iter().filter(|p| **p == BLUE).count();
    let dialogue = pixels.iter().filter(|p| **p == VERMILLION).count();
    assert!(narration > 18 * 500 && dialogue > 3 * 10_000, "{narration} narration and {dialogue} dialogue pixels");
    // Theme words but no quotation: no dialogue, and the chart says so in its middle, in ink on white.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plain.txt"), "Grief and loss, mourning and memory. The dead are remembered.").unwrap();
    let out = run(&["analyze", "plain.txt", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (w, _, pixels) = decode(&dir.path().join("results/charts/plain/voices.png"));
    assert!(dark_pixels(w, &pixels, 450..550) > 100, "no message in the middle");
    assert!(pixels.iter().all(|p| p[0] == p[1] && p[1] == p[2]), "bars drawn for a text without dialogue");
    let (_, _, pixels) = decode(&dir.path().join("results/charts/plain/themes.png"));
    assert!(pixels.contains(&BLUE), "the text's themes were not found");
}

#[test]
fn theme_sentiment_shows_dark_and_light_moods_apart_and_blanks_in_grey() {
    // In the sample review, "loss" is named in the first tenth only in sentences with a negative mean compound,
    // "love" in the second only in positive ones; most themes are not named in most tenths.
    let dir = analyze_sample(&[]);
    let (w, h, pixels) = decode(&dir.path().join("results/charts/never-let-me-go-review/theme_sentiment.png"));
    assert_eq!((w, h), (1600, 1000));
    // The grid, left of the colour bar (the right tenth).
    let grid: Vec<&[u8; 3]> =
        pixels.iter().enumerate().filter(|(i, _)| *i as u32 % w < w * 9 / 10).map(|p| p.1).collect();
    let red = grid.iter().filter(|p| p[0] as i32 > p[2] as i32 + 80).count();
    let blue = grid.iter().filter(|p| p[2] as i32 > p[0] as i32 + 80).count();
    let grey = grid.iter().filter(|p| ***p == [204, 204, 204]).count();
    // A cell is about 100 × 70 pixels.
    assert!(red > 3 * 5000 && blue > 3 * 5000, "{red} red and {blue} blue pixels");
    assert!(grey > 40 * 5000, "{grey} grey pixels for the blank cells");
}

#[test]
fn one_bar_one_row_and_one_cell_are_drawn() {
    // One theme, named once in the middle of a one-sentence text: one bar, one heatmap row with one bright cell.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("one.toml"), "[love]\nlabel = \"Love\"\nterms = [\"lovely\"]\n").unwrap();
    fs::write(dir.path().join("one.txt"), "She said it was a lovely day.").unwrap();
    let out = run(&["analyze", "one.txt", "--themes", "one.toml", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let charts = dir.path().join("results/charts/one");
    let (_, _, pixels) = decode(&charts.join("themes.png"));
    assert!(pixels.iter().filter(|p| **p == BLUE).count() > 10_000, "the single bar is missing");
    // Viridis yellow (the maximum) for the one segment with the theme, dark purple for the others.
    let (_, _, pixels) = decode(&charts.join("theme_trend.png"));
    let yellowish = pixels.iter().filter(|p| p[0] > 200 && p[1] > 200 && p[2] < 80).count();
    let purple = pixels.iter().filter(|p| p[0] < 90 && p[1] < 20 && p[2] > 60).count();
    assert!(yellowish > 10_000 && purple > 10_000, "heatmap cells missing: {yellowish} yellow, {purple} purple");
    // One document: no corpus chart.
    assert!(!dir.path().join("results/charts/corpus").exists());
}

#[test]
fn svg_and_size_options() {
    let dir = analyze_sample(&["--charts", "svg", "--chart-size", "800x600"]);
    let charts = dir.path().join("results/charts/never-let-me-go-review");
    for name in CHARTS {
        let svg = fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with(r#"<svg width="800" height="600""#), "{name}: {}", &svg[..80]);
        // No quotation of the review is given a speaker: that chart is its title and the message saying so.
        let texts = if name == "speakers" { 2 } else { 4 };
        assert!(svg.matches("<text").count() >= texts && svg.contains("never-let-me-go-review"), "{name}");
        assert!(!charts.join(format!("{name}.png")).exists());
    }
    let dir = analyze_sample(&["--charts", "both", "--chart-size", "640x480"]);
    let charts = dir.path().join("results/charts/never-let-me-go-review");
    assert_eq!(decode(&charts.join("themes.png")).0, 640);
    assert!(charts.join("themes.svg").exists());
    let dir = analyze_sample(&["--charts", "none"]);
    assert!(!dir.path().join("results/charts").exists());
}

#[test]
fn charts_without_data_say_so_instead_of_failing() {
    // One sentence, no theme or tone word, no quotation: every chart but the word bars has no data.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("short.txt"), "Tables and chairs.").unwrap();
    let out = run(&["analyze", "short.txt", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    for name in CHARTS.into_iter().filter(|&name| name != "top_words") {
        let (w, h, pixels) = decode(&dir.path().join(format!("results/charts/short/{name}.png")));
        assert_eq!((w, h), (1600, 1000));
        // Only the title and the message in the middle: ink and white, and the shades between them.
        assert!(dark_pixels(w, &pixels, 450..550) > 100, "{name}: no message in the middle");
        assert!(pixels.iter().all(|p| p[0] == p[1] && p[1] == p[2]), "{name}: colour where there is no data");
    }
}

#[test]
fn a_corpus_gets_a_heatmap_of_documents_by_theme() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(sample_path(), dir.path().join("review.txt")).unwrap();
    fs::write(dir.path().join("grief.txt"), "Grief and loss, mourning and memory. The dead are remembered.").unwrap();
    for order in ["similarity", "alphabetical"] {
        let out = run(&["analyze", ".", "--out", "results", "--chart-order", order], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let (w, h, pixels) = decode(&dir.path().join("results/charts/corpus/themes_by_document.png"));
        assert_eq!((w, h), (1600, 1000));
        assert!(colours(&pixels) > 10, "a heatmap has many colours");
    }
}

#[test]
fn only_the_first_documents_are_charted_in_a_large_corpus() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        fs::write(dir.path().join(format!("{name}.txt")), "Grief and loss, mourning and memory.").unwrap();
    }
    // A binary file first in order is skipped, and takes no charted place.
    fs::write(dir.path().join("0.txt"), b"\x89PNG\0\0\0binary").unwrap();
    let out = run(&["analyze", ".", "--out", "results", "--charts", "svg", "--document-charts", "2"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("charts were drawn for the first 2 of 3 documents"), "{}", stderr(&out));
    let mut folders: Vec<String> = fs::read_dir(dir.path().join("results/charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ["a", "b", "corpus"]);
    // All three documents are in the tables all the same.
    assert_eq!(fs::read_to_string(dir.path().join("results/documents.csv")).unwrap().lines().count(), 4);
    // None charted, as asked: nothing to say about it.
    let out = run(&["analyze", ".", "--out", "none", "--charts", "svg", "--document-charts", "0"], dir.path());
    assert!(!stderr(&out).contains("charts were drawn"), "{}", stderr(&out));
    assert_eq!(fs::read_dir(dir.path().join("none/charts")).map_or(0, |d| d.count()), 0);
}

#[test]
fn text_is_drawn_with_no_system_fonts_at_all() {
    // No fontconfig, no font folders, no HOME: the embedded font is the only one there is.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["analyze", sample_path().to_str().unwrap(), "--out", "results"])
        .current_dir(dir.path())
        .env_clear()
        .env("FONTCONFIG_FILE", "/nonexistent/fonts.conf")
        .env("FONTCONFIG_PATH", "/nonexistent")
        .env("XDG_DATA_DIRS", "/nonexistent")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (w, _, pixels) = decode(&dir.path().join("results/charts/never-let-me-go-review/themes.png"));
    assert!(dark_pixels(w, &pixels, 0..80) > 200, "the title was not drawn");
}

#[test]
fn bad_chart_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("font.ttf"), "not a font").unwrap();
    let sample = sample_path();
    let sample = sample.to_str().unwrap();
    for args in [
        vec!["analyze", sample, "--chart-size", "100x100"],
        vec!["analyze", sample, "--chart-size", "wide"],
        vec!["analyze", sample, "--charts", "gif"],
        vec!["analyze", sample, "--chart-font", "font.ttf"],
    ] {
        let out = run(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = run(&["analyze", sample, "--chart-font", "missing.ttf"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.ttf"));
}

#[test]
fn a_rerun_replaces_the_charts_and_a_failed_run_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(sample_path(), dir.path().join("review.txt")).unwrap();
    let out = run(&["analyze", "review.txt", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let themes = dir.path().join("results/charts/review/themes.png");
    let first = fs::read(&themes).unwrap();
    // A second run at another size replaces the charts; nothing hidden is left behind.
    let out = run(&["analyze", "review.txt", "--out", "results", "--chart-size", "800x500"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(decode(&themes).0, 800);
    let hidden = |dir: &Path| {
        fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
            .count()
    };
    assert_eq!(hidden(&dir.path().join("results")), 0);
    // A run that fails once under way (its only input is binary) leaves the charts of the last good run, and
    // takes its hidden staging folder with it.
    fs::write(dir.path().join("cover.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = run(&["analyze", "cover.txt", "--out", "results"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(decode(&themes).0, 800);
    assert_ne!(fs::read(&themes).unwrap(), first);
    assert_eq!(hidden(&dir.path().join("results")), 0);
}
