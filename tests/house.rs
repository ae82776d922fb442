//! House rules for the code under `src/`, checked on every `cargo test` so that they hold without anyone
//! having to remember them:
//!
//! - no source file is over 900 lines and no function over 80 (tests in `src/` included), so that each can be
//!   read whole;
//! - the modules' imports form no cycle: the pipeline runs one way (input → text → analysis → report and
//!   charts → run), and no analysis imports another that imports it back.
//!
//! The checks read the source with a small lexer that needs only std: comments, doc comments, strings and
//! character literals are skipped, so a path in a doc link or a message is not taken for an import. Each
//! failure names the file, line and function or import at fault and says what to do. Mend the code, not the
//! limits: there is no list of exceptions.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 900;
const MAX_FN_LINES: usize = 80;
/// Top-level modules whose submodules are nodes of the import graph in their own right.
const SPLIT: &[&str] = &["analysis"];

#[test]
fn no_source_file_is_over_900_lines() {
    let long: Vec<String> = sources()
        .iter()
        .map(|source| (source, source.text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_FILE_LINES)
        .map(|(source, lines)| format!("  {}: {lines} lines", source.path))
        .collect();
    assert!(
        long.is_empty(),
        "{} source file(s) over {MAX_FILE_LINES} lines; split each into modules by job (as `run/` is: a file a \
         job), do not raise the limit:\n{}",
        long.len(),
        long.join("\n")
    );
}

#[test]
fn no_function_is_over_80_lines() {
    let mut long = Vec::new();
    for source in sources() {
        for function in functions(&tokens(&source.text)) {
            if function.lines > MAX_FN_LINES {
                long.push(format!(
                    "  {}:{}: fn {} is {} lines",
                    source.path, function.line, function.name, function.lines
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "{} function(s) over {MAX_FN_LINES} lines, counted from the `fn` line to the closing brace; split each into \
         named steps (helper functions, or a struct whose methods are the steps), do not raise the limit:\n{}",
        long.len(),
        long.join("\n")
    );
}

#[test]
fn no_module_imports_form_a_cycle() {
    let edges = import_graph(&sources());
    let mut cycles = cycles(&edges);
    cycles.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let report: Vec<String> = cycles.iter().map(|cycle| describe(cycle, &edges)).collect();
    assert!(
        report.is_empty(),
        "{} import cycle(s) between modules (each edge with one place it is made). Break each by moving what one \
         side takes from the other down into the module lower in the pipeline (input → text → analysis → report \
         and charts → run; between analyses, into the one that is built on), or into a new module both import:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The scanner itself: paths in comments and strings are not imports, grouped and inline paths are.
#[test]
fn the_scanner_finds_paths_only_in_code() {
    let code = "use crate::{a, b::{self, C}};\n/// [`crate::d::E`]\nfn f() -> u8 {\n    let s = \"crate::g\";\n    \
                let c = '\"'; // crate::h\n    r#\"crate::i\"#; crate::j::k(s, c)\n}\n#[cfg(test)]\nmod tests {\n    \
                use crate::l;\n}\n";
    let tokens = tokens(code);
    let found: Vec<String> = paths(&without_test_modules(&tokens))
        .iter()
        .map(|path| path.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("::"))
        .collect();
    assert_eq!(found, ["crate::a", "crate::b::self", "crate::b::C", "crate::j::k"]);
    let function = &functions(&tokens)[0];
    assert_eq!((function.name.as_str(), function.line, function.lines), ("f", 3, 5));
}

/// One file under `src/`.
struct Source {
    /// The path from the crate's folder, with `/`: `src/text/document.rs`.
    path: String,
    /// The module the file holds, from the crate root: `["text", "document"]`; empty for `lib.rs` and `main.rs`.
    module: Vec<String>,
    text: String,
}

/// Every `.rs` file under `src/`, in order of path.
fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files.iter().map(|file| source(&src, file)).collect()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

fn source(src: &Path, file: &Path) -> Source {
    let parts: Vec<String> =
        file.strip_prefix(src).unwrap().iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let mut module: Vec<String> = parts.iter().map(|part| part.trim_end_matches(".rs").to_string()).collect();
    if module.last().is_some_and(|last| last == "mod")
        || matches!(&module[..], [root] if root == "lib" || root == "main")
    {
        module.pop();
    }
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    Source { path: format!("src/{}", parts.join("/")), module, text }
}

/// An identifier, `::` or one character of punctuation, and its line. A string or character literal is one
/// token `"` or `'` (a lifetime's `'` is one too); comments are no tokens.
#[derive(Clone, Debug)]
struct Token {
    text: String,
    line: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut lexer = Lexer { chars: text.chars().collect(), at: 0, line: 1, tokens: Vec::new() };
    while !lexer.done() {
        lexer.token();
    }
    lexer.tokens
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: usize,
    tokens: Vec<Token>,
}

impl Lexer {
    fn done(&self) -> bool {
        self.at >= self.chars.len()
    }

    fn peek(&self, ahead: usize) -> char {
        self.chars.get(self.at + ahead).copied().unwrap_or('\0')
    }

    fn bump(&mut self) -> char {
        let c = self.peek(0);
        self.at += 1;
        self.line += usize::from(c == '\n');
        c
    }

    fn push(&mut self, text: impl Into<String>, line: usize) {
        self.tokens.push(Token { text: text.into(), line });
    }

    fn token(&mut self) {
        let (c, line) = (self.peek(0), self.line);
        match c {
            _ if c.is_whitespace() => _ = self.bump(),
            '/' if self.peek(1) == '/' => {
                while !self.done() && self.peek(0) != '\n' {
                    self.bump();
                }
            }
            '/' if self.peek(1) == '*' => self.block_comment(),
            '"' => {
                self.bump();
                self.string(false, 0, line);
            }
            '\'' => self.quote(),
            ':' if self.peek(1) == ':' => {
                self.at += 2;
                self.push("::", line);
            }
            _ if c.is_alphabetic() || c == '_' => self.word(),
            _ if c.is_ascii_digit() => {
                while self.peek(0).is_alphanumeric() || self.peek(0) == '_' {
                    self.bump();
                }
                self.push("0", line);
            }
            _ => {
                self.bump();
                self.push(c, line);
            }
        }
    }

    /// A comment `/* ... */`, nested ones included.
    fn block_comment(&mut self) {
        let mut depth = 0;
        while !self.done() {
            if self.peek(0) == '/' && self.peek(1) == '*' {
                self.at += 2;
                depth += 1;
            } else if self.peek(0) == '*' && self.peek(1) == '/' {
                self.at += 2;
                depth -= 1;
                if depth == 0 {
                    return;
                }
            } else {
                self.bump();
            }
        }
    }

    /// The rest of a string whose opening quote is read: up to `"` and `hashes` times `#`.
    fn string(&mut self, raw: bool, hashes: usize, line: usize) {
        while !self.done() {
            match self.bump() {
                '\\' if !raw => _ = self.bump(),
                '"' if (0..hashes).all(|k| self.peek(k) == '#') => {
                    self.at += hashes;
                    break;
                }
                _ => {}
            }
        }
        self.push("\"", line);
    }

    /// A character literal (`'a'`, `'\''`, `'\u{2019}'`), or the quote of a lifetime or label.
    fn quote(&mut self) {
        let line = self.line;
        self.bump();
        if self.peek(0) == '\\' {
            while !self.done() {
                match self.bump() {
                    '\\' => _ = self.bump(),
                    '\'' => break,
                    _ => {}
                }
            }
        } else if self.peek(1) == '\'' {
            self.at += 2;
        }
        self.push("'", line);
    }

    /// An identifier or keyword, or the prefix of a literal: `b"..."`, `r#"..."#`, `b'x'`, or a raw `r#name`.
    fn word(&mut self) {
        let (start, line) = (self.at, self.line);
        while self.peek(0).is_alphanumeric() || self.peek(0) == '_' {
            self.bump();
        }
        let word: String = self.chars[start..self.at].iter().collect();
        let hashes = (0..).take_while(|&k| self.peek(k) == '#').count();
        match (word.as_str(), self.peek(hashes)) {
            ("b" | "c", '"') if hashes == 0 => {
                self.bump();
                self.string(false, 0, line);
            }
            ("r" | "br" | "cr", '"') => {
                self.at += hashes + 1;
                self.string(true, hashes, line);
            }
            ("b", '\'') if hashes == 0 => self.quote(),
            ("r", c) if hashes == 1 && (c.is_alphabetic() || c == '_') => {
                self.at += 1;
                self.word();
            }
            _ => self.push(word, line),
        }
    }
}

fn is_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// The index of the bracket closing the one at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let (open_text, close_text) = match tokens.get(open)?.text.as_str() {
        "(" => ("(", ")"),
        "[" => ("[", "]"),
        "{" => ("{", "}"),
        _ => return None,
    };
    let mut depth = 0;
    for (at, token) in tokens.iter().enumerate().skip(open) {
        if token.text == open_text {
            depth += 1;
        } else if token.text == close_text {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// A function item: its name, the line of its `fn` and how many lines it spans.
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// Every `fn` item (methods and nested functions too), whatever precedes the `fn` (`pub(crate) const unsafe`).
/// A declaration ending in `;` spans one line.
fn functions(tokens: &[Token]) -> Vec<Function> {
    let mut found = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let Some(name) = tokens.get(at + 1).filter(|name| token.text == "fn" && is_word(&name.text)) else {
            continue;
        };
        let end =
            body(tokens, at + 2).and_then(|open| closing(tokens, open)).map_or(token.line, |end| tokens[end].line);
        found.push(Function { name: name.text.clone(), line: token.line, lines: end - token.line + 1 });
    }
    found
}

/// The `{` opening the body of a function whose signature goes on from `from`; `None` for a declaration.
fn body(tokens: &[Token], from: usize) -> Option<usize> {
    let mut depth = 0;
    for (at, token) in tokens.iter().enumerate().skip(from) {
        match token.text.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            ";" if depth == 0 => return None,
            "{" if depth == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

/// If an item marked `#[cfg(test)]` starts at `at` and is a module, the index of the token after its name.
fn test_module(tokens: &[Token], at: usize) -> Option<usize> {
    let text = |k: usize| tokens.get(k).map_or("", |token| token.text.as_str());
    let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
    if !cfg_test.iter().enumerate().all(|(k, expected)| text(at + k) == *expected) {
        return None;
    }
    let mut k = at + cfg_test.len();
    loop {
        match text(k) {
            "#" => k = closing(tokens, k + 1)? + 1,
            "pub" if text(k + 1) == "(" => k = closing(tokens, k + 1)? + 1,
            "pub" => k += 1,
            "mod" => return Some(k + 2),
            _ => return None,
        }
    }
}

/// The tokens without the `#[cfg(test)] mod tests { ... }` blocks: tests may build fixtures from any module.
fn without_test_modules(tokens: &[Token]) -> Vec<Token> {
    let mut kept = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        match test_module(tokens, at).filter(|&after| tokens.get(after).is_some_and(|t| t.text == "{")) {
            Some(open) => at = closing(tokens, open).map_or(tokens.len(), |close| close + 1),
            None => {
                kept.push(tokens[at].clone());
                at += 1;
            }
        }
    }
    kept
}

/// Every path that may name a module of the crate: each one a `use` imports (`use a::{b, c::d}` gives `a::b` and
/// `a::c::d`), and each one elsewhere that starts with `crate`, `super` or `self` (`crate::input::Source`).
fn paths(tokens: &[Token]) -> Vec<Vec<Token>> {
    let text = |k: usize| tokens.get(k).map_or("", |token| token.text.as_str());
    let mut found = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let starts_path = matches!(text(at), "crate" | "super" | "self") && text(at + 1) == "::";
        if text(at) == "use" {
            at += 1;
            use_tree(tokens, &mut at, &[], &mut found);
        } else if starts_path && (at == 0 || text(at - 1) != "::") {
            let mut path = vec![tokens[at].clone()];
            while text(at + 1) == "::" && is_word(text(at + 2)) {
                path.push(tokens[at + 2].clone());
                at += 2;
            }
            found.push(path);
            at += 1;
        } else {
            at += 1;
        }
    }
    found
}

/// The paths of the use tree at `at` (`a::b`, `a::{b, c::{d, e}}`, `a::*`, `a as b`), each after `prefix`.
fn use_tree(tokens: &[Token], at: &mut usize, prefix: &[Token], found: &mut Vec<Vec<Token>>) {
    let text = |k: usize| tokens.get(k).map_or("", |token| token.text.as_str());
    let mut path = prefix.to_vec();
    loop {
        match text(*at) {
            "::" => *at += 1,
            "{" => {
                *at += 1;
                while !matches!(text(*at), "}" | "") {
                    let before = *at;
                    use_tree(tokens, at, &path, found);
                    *at += usize::from(text(*at) == "," || *at == before);
                }
                *at += 1;
                return;
            }
            "*" => {
                *at += 1;
                break;
            }
            word if is_word(word) && word != "as" => {
                path.push(tokens[*at].clone());
                *at += 1;
                if text(*at) == "as" {
                    *at += 2;
                }
                if text(*at) != "::" {
                    break;
                }
            }
            _ => break,
        }
    }
    if path.len() > prefix.len() || text(*at - 1) == "*" {
        found.push(path);
    }
}

/// What the import graph needs to know of the crate's modules.
struct Crate {
    /// Every module with a file of its own, as a path from the root.
    modules: BTreeSet<Vec<String>>,
    /// The modules `lib.rs` declares (`main.rs` and its `cli` are the binary, another crate).
    top: BTreeSet<String>,
    /// Names `lib.rs` brings into the root (`pub use error::Result`), with the path they stand for.
    reexports: BTreeMap<String, Vec<String>>,
    /// Modules built only for tests (`#[cfg(test)] mod tests;`).
    test_only: BTreeSet<Vec<String>>,
}

impl Crate {
    fn of(sources: &[Source]) -> Crate {
        let modules = sources.iter().map(|source| source.module.clone()).collect();
        let mut krate = Crate { modules, top: BTreeSet::new(), reexports: BTreeMap::new(), test_only: BTreeSet::new() };
        for source in sources {
            let tokens = tokens(&source.text);
            for at in (0..tokens.len()).filter_map(|at| test_module(&tokens, at)) {
                if tokens.get(at).is_some_and(|t| t.text == ";") {
                    krate.test_only.insert([&source.module[..], &[tokens[at - 1].text.clone()]].concat());
                }
            }
            if source.path == "src/lib.rs" {
                let names = tokens.windows(2).filter(|pair| pair[0].text == "mod" && is_word(&pair[1].text));
                krate.top = names.map(|pair| pair[1].text.clone()).collect();
                krate.reexports = krate.root_names(&tokens);
            }
        }
        krate
    }

    /// The names `use` items in `lib.rs` (given as `tokens`) bring into the root.
    fn root_names(&self, tokens: &[Token]) -> BTreeMap<String, Vec<String>> {
        let resolved = paths(tokens).into_iter().filter_map(|path| self.resolve(&[], &path));
        resolved.filter(|target| target.len() > 1).map(|target| (target.last().unwrap().clone(), target)).collect()
    }

    /// The path from the root that `path` (met in `module`) stands for; `None` if it is another crate's.
    fn resolve(&self, module: &[String], path: &[Token]) -> Option<Vec<String>> {
        let words: Vec<&str> = path.iter().map(|token| token.text.as_str()).collect();
        let ups = words.iter().take_while(|word| **word == "super").count();
        let (base, rest) = match words[0] {
            "crate" => (&module[..0], &words[1..]),
            "self" => (module, &words[1..]),
            "super" => (&module[..module.len().checked_sub(ups)?], &words[ups..]),
            child if self.modules.contains(&[module, &[child.to_string()]].concat()) => (module, &words[..]),
            _ => return None,
        };
        let mut target = base.to_vec();
        target.extend(rest.iter().filter(|word| **word != "self").map(|word| word.to_string()));
        match target.first().and_then(|name| self.reexports.get(name)) {
            Some(reexported) => Some([&reexported[..], &target[1..]].concat()),
            None => Some(target),
        }
    }

    /// The node of the import graph that `module` (or an item in it) belongs to: its top-level module, or for
    /// one of `SPLIT` its submodule; `None` outside the library's modules and for modules built only for tests.
    fn node(&self, module: &[String]) -> Option<String> {
        let top = module.first().filter(|top| self.top.contains(*top))?;
        if self.test_only.iter().any(|test| module.starts_with(test)) {
            return None;
        }
        match module.get(1) {
            Some(sub) if SPLIT.contains(&top.as_str()) && self.modules.contains(&module[..2]) => {
                Some(format!("{top}::{sub}"))
            }
            _ => Some(top.clone()),
        }
    }
}

/// The imports between nodes: for each edge `(from, to)`, the first place (`src/x.rs:12`) it is made.
fn import_graph(sources: &[Source]) -> BTreeMap<(String, String), String> {
    let krate = Crate::of(sources);
    let mut edges = BTreeMap::new();
    for source in sources {
        let Some(from) = krate.node(&source.module) else { continue };
        for path in paths(&without_test_modules(&tokens(&source.text))) {
            let Some(to) = krate.resolve(&source.module, &path).and_then(|target| krate.node(&target)) else {
                continue;
            };
            if to != from {
                let place = format!("{}:{}", source.path, path.last().unwrap().line);
                edges.entry((from.clone(), to)).or_insert(place);
            }
        }
    }
    edges
}

/// Every cycle of the graph that visits no node twice, once each, starting from its least node.
fn cycles(edges: &BTreeMap<(String, String), String>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    let mut found = Vec::new();
    for &start in next.keys() {
        walk(&next, &mut vec![start], &mut found);
    }
    found
}

/// Goes on from the end of `path` to nodes greater than its start, keeping each path that comes back to it.
fn walk<'a>(next: &BTreeMap<&'a str, Vec<&'a str>>, path: &mut Vec<&'a str>, found: &mut Vec<Vec<String>>) {
    let (start, last) = (path[0], path[path.len() - 1]);
    for &to in next.get(last).into_iter().flatten() {
        if to == start {
            found.push(path.iter().map(|node| node.to_string()).collect());
        } else if to > start && !path.contains(&to) {
            path.push(to);
            walk(next, path, found);
            path.pop();
        }
    }
}

/// `a -> b -> a`, then each edge with where it is made.
fn describe(cycle: &[String], edges: &BTreeMap<(String, String), String>) -> String {
    let mut text = format!("  {} -> {}", cycle.join(" -> "), cycle[0]);
    for (k, from) in cycle.iter().enumerate() {
        let to = &cycle[(k + 1) % cycle.len()];
        text += &format!("\n      {from} -> {to}: {}", edges[&(from.clone(), to.clone())]);
    }
    text
}
