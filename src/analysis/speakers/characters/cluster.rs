//! Clustering names into characters, in the order rule-based systems use: full names, then `Title Surname`, then
//! bare words, each joining the one character it can mean or standing alone.

use rustc_hash::FxHashMap;

use super::lexicon::{is_plain, title_gender};
use super::names::Surface;
use super::{Gender, NO_KEY};

/// Paragraphs naming both `Mr. Knightley` and `Mr. John Knightley` that show them two people: one person is
/// rarely called both ways in a paragraph again and again (but once, when introduced, often is).
const APART: u32 = 3;

/// A character being clustered, or found.
#[derive(Debug, Clone, Default)]
pub(super) struct Entry {
    pub(super) gender: Gender,
    pub(super) mentions: u32,
    /// The titles its full names are written with.
    titles: Vec<u8>,
    /// The first words of its full names.
    firsts: Vec<u32>,
}

/// Characters indexed by the parts of their names, each with how often it is called by that part.
#[derive(Debug, Clone, Default)]
pub(super) struct Roster {
    pub(super) entries: Vec<Entry>,
    /// Full names (two words or more, titles left out).
    by_words: FxHashMap<Box<[u32]>, Vec<u32>>,
    /// The first and last words of full names.
    by_first: FxHashMap<u32, Vec<(u32, u32)>>,
    by_last: FxHashMap<u32, Vec<(u32, u32)>>,
    /// The word of one-word names (`Mr. Knightley`, `Eeyore`) that joined no full name.
    by_word: FxHashMap<u32, Vec<(u32, u32)>>,
    /// How often each word is a name alone, without a title (`Adela`).
    bare: FxHashMap<u32, u32>,
}

/// Adds `count` uses of `key` to `entry`'s.
fn add(map: &mut FxHashMap<u32, Vec<(u32, u32)>>, key: u32, entry: u32, count: u32) {
    let list = map.entry(key).or_default();
    match list.iter_mut().find(|(e, _)| *e == entry) {
        Some((_, n)) => *n += count,
        None => list.push((entry, count)),
    }
}

impl Roster {
    pub(super) fn new_entry(&mut self, gender: Gender) -> u32 {
        self.entries.push(Entry { gender, ..Entry::default() });
        (self.entries.len() - 1) as u32
    }

    /// Joins a surface's mentions to an entry, indexing it by its name's parts.
    pub(super) fn join(&mut self, surface: &mut Surface, entry: u32) {
        surface.entry = entry;
        let Some(e) = self.entries.get_mut(entry as usize) else { return };
        e.mentions += surface.count;
        if e.gender == Gender::Unknown {
            e.gender = surface.gender;
        }
        let words = &surface.words;
        match (surface.title, &**words) {
            (title, [first, .., last]) => {
                if let Some(t) = title.filter(|t| !e.titles.contains(t)) {
                    e.titles.push(t);
                }
                if !e.firsts.contains(first) {
                    e.firsts.push(*first);
                }
                let list = self.by_words.entry(words.clone()).or_default();
                if !list.contains(&entry) {
                    list.push(entry);
                }
                add(&mut self.by_first, *first, entry, surface.count);
                add(&mut self.by_last, *last, entry, surface.count);
            }
            (_, [word]) => add(&mut self.by_word, *word, entry, surface.count),
            _ => {}
        }
    }

    fn entry(&self, e: u32) -> Option<&Entry> {
        self.entries.get(e as usize)
    }

    /// The full name `words` of gender `gender`: the most mentioned compatible one.
    pub(super) fn full(&self, words: &[u32], gender: Gender) -> Option<u32> {
        let found = self.by_words.get(words).into_iter().flatten().copied();
        let found = found.filter(|&e| self.entry(e).is_some_and(|x| x.gender.compatible(gender)));
        found.max_by_key(|&e| (self.entry(e).map_or(0, |x| x.mentions), std::cmp::Reverse(e)))
    }

    /// `Title Word`: the one full name of compatible gender with that surname, if named at least twice, else the
    /// one with that first name (`Sir Walter`, `Miss Anne`); none when two could be meant, or when the one full
    /// name is written with other titles only. Titles but the plain ones join a surname only to a full name written
    /// with them (`Mrs. John Knightley`): `Lady Bertram` is not the one Bertram daughter named in full.
    pub(super) fn titled(&self, word: u32, title: u8, gender: Gender) -> Option<u32> {
        let bare = &self.bare;
        let only = |list: Option<&Vec<(u32, u32)>>, as_surname: bool| {
            // A full name said once still makes a `Title Word` ambiguous, but is too little to join.
            let candidate = |&&(e, _): &&(u32, u32)| self.entry(e).is_some_and(|x| x.gender.compatible(gender));
            let mut found = list.into_iter().flatten().filter(candidate);
            let (Some(&(e, _)), None) = (found.next(), found.next()) else {
                return None;
            };
            // Said in full once, it is still known when its first name is said alone (`Adela Quested` once, then
            // `Adela` and `Miss Quested` throughout).
            let known = |x: &Entry| x.mentions >= 2 || x.firsts.iter().any(|f| bare.get(f).is_some_and(|&n| n >= 2));
            let Entry { titles, .. } = self.entry(e).filter(|x| known(x))?;
            let plain = !as_surname || is_plain(title);
            let fits = titles.contains(&title) || (titles.is_empty() && plain);
            fits.then_some(e)
        };
        let as_surname = self.by_last.get(&word).is_some_and(|l| !l.is_empty());
        if as_surname { only(self.by_last.get(&word), true) } else { only(self.by_first.get(&word), false) }
    }

    /// A bare word: the character most often called by it as a first name, or as a surname (`Mr. Knightley`
    /// for `Knightley`), whichever use is the more common; none unless that character is called so at least
    /// twice as often as any other.
    pub(super) fn single(&self, word: u32, gender: Gender) -> Option<u32> {
        let ok = |e: &u32| self.entry(*e).is_some_and(|x| x.gender.compatible(gender));
        let firsts: Vec<(u32, u32)> = self.by_first.get(&word).into_iter().flatten().copied().collect();
        // A character may be called by the word both in full names and alone (`James Harthouse`, `Mr. Harthouse`).
        let mut lasts: FxHashMap<u32, u32> = FxHashMap::default();
        for &(e, n) in
            self.by_last.get(&word).into_iter().flatten().chain(self.by_word.get(&word).into_iter().flatten())
        {
            *lasts.entry(e).or_default() += n;
        }
        let lasts: Vec<(u32, u32)> = lasts.into_iter().collect();
        let side = |list: Vec<(u32, u32)>| -> Vec<(u32, u32)> { list.into_iter().filter(|(e, _)| ok(e)).collect() };
        let (firsts, lasts) = (side(firsts), side(lasts));
        let total = |list: &[(u32, u32)]| list.iter().map(|&(_, n)| n).sum::<u32>();
        let mut list = if total(&firsts) >= total(&lasts) { firsts } else { lasts };
        list.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
        match list.as_slice() {
            [] => None,
            [(e, _)] => Some(*e),
            [(e, n), (_, m), ..] => (*n >= 2 * *m).then_some(*e),
        }
    }
}

/// Clusters the surfaces not `dropped` into the entries of a roster: full names, then `Title Word`, then bare
/// words, each kind most frequent first.
pub(super) fn cluster(surfaces: &mut [Surface], dropped: &[bool], apart: &FxHashMap<(u32, u32), u32>) -> Roster {
    let mut roster = Roster::default();
    let mut order: Vec<usize> = (0..surfaces.len()).filter(|&s| !dropped[s]).collect();
    order.sort_by_key(|&s| (std::cmp::Reverse(surfaces[s].count), s));

    // Full names with a gendered title first, one character per name and gender (`Mr.` and `Mrs. John
    // Knightley` are two people); then the rest join the compatible one, or start their own.
    for pass in 0..2 {
        for &s in &order {
            let surface = &mut surfaces[s];
            let titled = title_gender(surface.title) != Gender::Unknown;
            if surface.words.len() < 2 || (pass == 0) != titled {
                continue;
            }
            let entry = if pass == 0 {
                let same = roster.by_words.get(&surface.words).into_iter().flatten().copied();
                same.filter(|&e| roster.entries[e as usize].gender == surface.gender).min()
            } else {
                roster.full(&surface.words, surface.gender)
            };
            let entry = entry.unwrap_or_else(|| roster.new_entry(surface.gender));
            roster.join(surface, entry);
        }
    }
    // `Title Word` joins the one full name it can mean, or stands alone (`Miss Bates` and `Mrs. Bates` apart).
    let mut besides: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for (&(single, full), &n) in apart {
        if let Some(f) = surfaces.get(full as usize).filter(|f| f.entry != NO_KEY) {
            *besides.entry((single, f.entry)).or_default() += n;
        }
    }
    for &s in &order {
        if let (None, [word]) = (surfaces[s].title, &*surfaces[s].words) {
            *roster.bare.entry(*word).or_default() += surfaces[s].count;
        }
    }
    let mut alone: FxHashMap<(u8, u32), u32> = FxHashMap::default();
    for &s in &order {
        let surface = &mut surfaces[s];
        let (Some(title), [word]) = (surface.title, &*surface.words) else { continue };
        let word = *word;
        // Not a full name this `Title Word` keeps being named beside (`Mr. Knightley` and `Mr. John Knightley`).
        let beside = |e: u32| besides.get(&(s as u32, e)).is_some_and(|&n| n >= APART);
        let entry = roster.titled(word, title, surface.gender).filter(|&e| !beside(e));
        let entry =
            entry.unwrap_or_else(|| *alone.entry((title, word)).or_insert_with(|| roster.new_entry(surface.gender)));
        roster.join(surface, entry);
    }
    // A bare word joins the character it most often names, or stands alone (`Eeyore`).
    for &s in &order {
        let surface = &mut surfaces[s];
        let (None, [word]) = (surface.title, &*surface.words) else { continue };
        let entry = roster.single(*word, surface.gender).unwrap_or_else(|| roster.new_entry(surface.gender));
        roster.join(surface, entry);
    }
    roster
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{HIGHBURY, doc, who};
    use super::super::{Gender, cast};

    #[test]
    fn first_full_and_titled_forms_of_one_name_are_one_character() {
        let d = doc(HIGHBURY);
        let c = cast(&d);
        let emma = who(&c, "Emma").expect("Emma is found");
        assert_eq!(emma.name, "Emma Woodhouse");
        for alias in ["Emma", "Miss Woodhouse"] {
            assert!(emma.aliases.iter().any(|a| a == alias), "{alias} not in {:?}", emma.aliases);
        }
        assert_eq!(emma.mentions, 6);
        assert_eq!(emma.gender, Gender::Female);
    }

    #[test]
    fn a_full_name_said_once_joins_its_title_form_when_its_first_name_is_said_alone() {
        let text = "In March Adela Quested came out to India. There Adela looked about her, and Adela smiled. So \
                    Adela went home.\n\nLater Miss Quested spoke, and Miss Quested sat down. Then Mr. Quested was \
                    at home, and Mr. Quested wrote.";
        let c = cast(&doc(text));
        let adela = who(&c, "Adela").expect("Adela is found");
        assert!(adela.aliases.iter().any(|a| a == "Miss Quested"), "{:?}", adela.aliases);
        assert_eq!(adela.mentions, 6);
        assert_ne!(who(&c, "Mr. Quested").map(|m| &m.name), Some(&adela.name), "her father stays apart");
    }

    #[test]
    fn a_title_and_surname_shared_by_two_full_names_stands_alone() {
        let c = cast(&doc(HIGHBURY));
        let mr = who(&c, "Mr. Knightley").expect("Mr. Knightley is found");
        assert_eq!(mr.aliases, ["Mr. Knightley"]);
        assert_eq!(mr.gender, Gender::Male);
        let george = who(&c, "George Knightley").expect("George Knightley is found");
        let john = who(&c, "John Knightley").expect("John Knightley is found");
        assert_ne!(george.name, john.name);
    }

    #[test]
    fn titles_of_another_gender_or_kind_keep_people_with_one_surname_apart() {
        let c = cast(&doc(HIGHBURY));
        let (mrs, mr) = (who(&c, "Mrs. Weston").unwrap(), who(&c, "Mr. Weston").unwrap());
        assert_ne!(mrs.name, mr.name);
        assert_eq!((mrs.gender, mr.gender), (Gender::Female, Gender::Male));
        assert_ne!(who(&c, "Miss Bates").unwrap().name, who(&c, "Mrs. Bates").unwrap().name);
    }

    #[test]
    fn a_title_surname_named_again_and_again_beside_a_full_name_is_another_person() {
        // Mr. John Knightley is the only full name with the surname, but the two are named together.
        let text = "Mr. Knightley came, and Mr. John Knightley came.\n\n\
                    Mr. Knightley sat by Mr. John Knightley.\n\n\
                    Then Mr. John Knightley spoke, and Mr. Knightley listened.\n\n\
                    Mr. Knightley said more.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Mr. Knightley").unwrap().name, who(&c, "Mr. John Knightley").unwrap().name);
        // Named beside it once, when introduced, it joins.
        let text =
            "Mr. Frank Churchill came, and Mr. Churchill bowed.\n\nMr. Frank Churchill sat. Then Mr. Churchill spoke.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Mr. Churchill").unwrap().name, who(&c, "Mr. Frank Churchill").unwrap().name);
    }

    #[test]
    fn a_wifes_or_ranks_title_joins_only_a_full_name_written_with_it() {
        let text = "Then Maria Bertram came, and Lady Bertram sat. Later Maria Bertram left, and Lady Bertram slept. \
                    Then Admiral Crawford came, and Henry Crawford bowed. Later Admiral Crawford left, and Henry \
                    Crawford stayed. Then Miss Price came, and Fanny Price sat. Later Miss Price left, and Fanny Price \
                    stayed.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Lady Bertram").unwrap().name, who(&c, "Maria Bertram").unwrap().name);
        assert_ne!(who(&c, "Admiral Crawford").unwrap().name, who(&c, "Henry Crawford").unwrap().name);
        // A plain title joins.
        assert_eq!(who(&c, "Miss Price").unwrap().name, who(&c, "Fanny Price").unwrap().name);
    }

    #[test]
    fn a_full_name_said_once_still_makes_a_title_and_surname_ambiguous() {
        let text = "Then Anne Elliot came, and Miss Elliot sat. Later Anne Elliot left, and Miss Elliot slept. \
                    Then Elizabeth Elliot frowned, and Elizabeth sighed.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Miss Elliot").unwrap().name, who(&c, "Anne Elliot").unwrap().name);
        // Without the other Elliot, Miss Elliot is Anne.
        let c = cast(&doc(&text.replace("Elizabeth Elliot", "Elizabeth")));
        assert_eq!(who(&c, "Miss Elliot").unwrap().name, who(&c, "Anne Elliot").unwrap().name);
    }
}
