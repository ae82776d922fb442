//! The sieve's rules, each on a conversation written for it.

use crate::analysis::quotes::quotes;
use crate::analysis::speakers::attribute;
use crate::text::Document;

/// Each top-level quotation's phrase, character and rule.
fn resolved(text: &str) -> Vec<(String, String, &'static str)> {
    let doc = Document::from_text("t", text);
    let mut found = quotes(&doc);
    attribute(&doc, &mut found);
    found.rows().filter(|r| r.depth == 0).map(|r| (r.phrase.to_string(), r.character, r.attribution)).collect()
}

fn row(phrase: &str, character: &str, rule: &'static str) -> (String, String, &'static str) {
    (phrase.to_string(), character.to_string(), rule)
}

#[test]
fn each_rule_of_the_sieve_names_the_speaker_in_a_conversation() {
    let text = "Mr. Knightley came in at noon. Emma Woodhouse looked up from her book. Mr. Knightley \
                smiled at Emma, and Emma smiled back at Mr. Knightley.\n\n\
                “You are late,” said Emma.\n\n\
                “I walked,” he replied.\n\n\
                “All the way?”\n\n\
                “All the way.”\n\n\
                “Then sit down,” said Emma. “You must rest.”\n";
    assert_eq!(
        resolved(text),
        [
            row("You are late", "Emma", "tag"),
            row("I walked", "Mr. Knightley", "pronoun"),
            row("All the way", "Emma", "turn"),
            row("All the way", "Mr. Knightley", "turn"),
            row("Then sit down", "Emma", "tag"),
            row("You must rest", "Emma", "inherited"),
        ]
    );
}

#[test]
fn an_answer_goes_to_the_one_the_last_turn_addressed() {
    let text = "By the fire sat Harriet Smith and Mr. Elton. Then Harriet Smith read and Mr. Elton wrote. \
                At last Harriet Smith laughed, and Mr. Elton looked up.\n\n\
                “What do you think, Mr. Elton?” said Harriet.\n\n\
                “I think it charming.”\n";
    assert_eq!(
        resolved(text),
        [row("What do you think, Mr. Elton", "Harriet Smith", "tag"), row("I think it charming", "Mr. Elton", "turn")]
    );
}

#[test]
fn whom_a_speech_names_is_not_its_speaker() {
    // Mr. Denham is the nearest man to `he`, and the first subject before the last speech, but both speeches
    // speak of him: they are Mr. Hilbery's and Katharine's.
    let text = "“Good night,” said Mr. Denham.\n\nHe went home. Mr. Hilbery came into the room. \
                Mr. Hilbery stood by the fire. Katharine Hilbery waited. Mr. Denham was far away.\n\n\
                “Do you see Mr. Denham often?” he said.\n\n\
                “Now and then,” said Katharine Hilbery.\n\nMr. Hilbery went out.\n\n\
                Mr. Denham and Katharine Hilbery were both in her thoughts.\n\n\
                “I shall see Mr. Denham tomorrow.”\n";
    let rows = resolved(text);
    assert_eq!(rows[1], row("Do you see Mr. Denham often", "Mr. Hilbery", "pronoun"), "{rows:?}");
    assert_eq!(rows[3], row("I shall see Mr. Denham tomorrow", "Katharine Hilbery", "narration"), "{rows:?}");
}

#[test]
fn a_title_alone_is_the_one_character_with_that_title() {
    let text = "Mademoiselle Reisz played, and Edna Pontellier listened. Mademoiselle Reisz stopped. \
                Edna Pontellier wept.\n\n“Well?” said Mademoiselle.\n\n“Play again,” said Edna.\n\n\
                “Not now,” said Mr.\n";
    let rows = resolved(text);
    assert_eq!(rows[0], row("Well", "Mademoiselle Reisz", "tag"), "{rows:?}");
    assert_ne!(rows[2].2, "tag", "an abbreviated title cut from its name names nobody: {rows:?}");
}

#[test]
fn a_possessive_description_or_a_first_person_tag_is_left_unresolved() {
    let text = "Mr. Weston walked in. Mr. Weston sat down. Mr. Weston smiled.\n\n\
                “Not at all,” said his mother.\n\n\
                “Quite so,” I said.\n";
    let rows = resolved(text);
    assert_eq!(rows[0].1, "", "{rows:?}");
    assert_eq!(rows[1].1, "", "{rows:?}");
}

#[test]
fn a_first_person_narrator_is_named_by_how_the_others_address_them() {
    let turn = |n: usize| {
        format!(
            "“Where were you, Hastings?” asked Poirot.\n\n“At the inn {n},” I said.\n\n“Ah, Hastings, you \
             amuse me.”\n\n"
        )
    };
    let text = format!("Poirot and Hastings sat down, and Poirot smiled.\n\n{}", (0..3).map(turn).collect::<String>());
    let rows = resolved(&text);
    let mine: Vec<_> = rows.iter().filter(|r| r.0.starts_with("At the inn")).collect();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|r| (r.1.as_str(), r.2) == ("Hastings", "pronoun")), "{mine:?}");
}

#[test]
fn a_narrator_whom_only_the_others_name_is_found_by_that() {
    // No turn beside the narrator's own names them, so the votes of their neighbours say nothing; but Alexis
    // is addressed three times and never named by the narration, which calls him `I`.
    let text = "“Come here, Alexis,” said Polina.\n\nThe wind rose.\n\n“Yes, Alexis,” said Polina.\n\n\
                It rained.\n\n“Listen, Alexis!” said the General.\n\nThe night fell. Polina slept.\n\n\
                “I am tired,” I said.\n\nThe moon rose.\n\n“So am I,” I said.\n\nThe sun rose.\n\n\
                “Enough,” I said.\n";
    let rows = resolved(text);
    let mine: Vec<_> = rows.iter().skip(3).map(|r| (r.1.as_str(), r.2)).collect();
    assert_eq!(mine, [("Alexis", "pronoun"); 3], "{rows:?}");
}

#[test]
fn after_narration_the_first_subject_speaks_and_a_role_is_a_character() {
    let text = "Marilla and Anne walked home, and Anne talked.\n\n“Wait,” said Anne.\n\n\
                Anne looked at Marilla through the apple blossoms.\n\n“What is Diana like?”\n\n\
                “Hullo,” cried the policeman. “Who is there?”\n\n“Nobody,” said a man. “Go away.”\n";
    assert_eq!(
        resolved(text),
        [
            row("Wait", "Anne", "tag"),
            row("What is Diana like", "Anne", "narration"),
            row("Hullo", "the policeman", "tag"),
            row("Who is there", "the policeman", "inherited"),
            row("Nobody", "", ""),
            row("Go away", "", ""),
        ]
    );
}

#[test]
fn turns_between_two_alternating_voices_take_their_place() {
    // Tagged turns 1 and 2 alternate Emma, Harriet; turns 3 to 5 are untagged.
    let text = "By the fire sat Emma Woodhouse and Harriet Smith.\n\n“Well?” said Emma.\n\n\
                “I cannot guess,” said Harriet.\n\n“Try.”\n\n“Is it a ship?”\n\n“No.”\n";
    let got: Vec<(String, &str)> = resolved(text).into_iter().map(|r| (r.1, r.2)).collect();
    let want = [("Emma", "tag"), ("Harriet", "tag"), ("Emma", "turn"), ("Harriet", "turn"), ("Emma", "turn")];
    assert_eq!(got, want.map(|(c, r)| (c.to_string(), r)));
}

#[test]
fn a_relative_is_found_by_the_owners_surname() {
    let text = "By the fire sat Emma Woodhouse and Mr. Woodhouse, and Emma Woodhouse read to Mr. Woodhouse.\n\n\
                “It is late,” said Emma.\n\n“Not at all, my dear,” said her father.\n";
    let rows = resolved(text);
    assert_eq!(rows[1], row("Not at all, my dear", "Mr. Woodhouse", "pronoun"));
}

#[test]
fn one_named_voice_and_whom_it_addresses_make_a_conversation_of_two() {
    // Only the last turn is named, Harriet's; it addresses Mr. Elton, so the turn before it is his.
    let text = "By the fire sat Harriet Smith and Mr. Elton, and Mr. Elton wrote to Harriet Smith.\n\n\
                “A riddle?”\n\n“It is.”\n\n“Is it hard, Mr. Elton?” said Harriet.\n";
    let got: Vec<(String, &str)> = resolved(text).into_iter().map(|r| (r.1, r.2)).collect();
    let want = [("Harriet Smith", "turn"), ("Mr. Elton", "turn"), ("Harriet Smith", "tag")];
    assert_eq!(got, want.map(|(c, r)| (c.to_string(), r)));
}

#[test]
fn the_other_in_a_conversation_is_the_speaker_before_the_last() {
    let text = "Syme met Ratcliffe on the bridge. Syme looked grave, and Ratcliffe looked graver.\n\n\
                “It is late,” said Ratcliffe.\n\n\
                “Not too late,” said Syme.\n\n\
                “Late enough,” replied the other.\n";
    assert_eq!(
        resolved(text),
        [
            row("It is late", "Ratcliffe", "tag"),
            row("Not too late", "Syme", "tag"),
            row("Late enough", "Ratcliffe", "pronoun"),
        ]
    );
}

#[test]
fn a_relative_no_surname_names_is_the_nearest_of_the_relatives_gender_but_the_owner() {
    // No surname of Margaret's names her husband: he is the nearest man but her, Mr. Wilcox.
    let text = "Margaret walked with Mr. Wilcox. Mr. Wilcox spoke of the house, and Margaret listened. \
                Mr. Wilcox stopped at the gate.\n\n\
                “It is ours,” said Margaret.\n\n\
                “Yes,” said her husband.\n";
    assert_eq!(resolved(text), [row("It is ours", "Margaret", "tag"), row("Yes", "Mr. Wilcox", "pronoun")]);
}

#[test]
fn a_possessive_mention_is_what_a_pronoun_after_it_refers_to() {
    // Mr. Rushworth is the last man the narration names as a subject; `he` is Sir Thomas, whose conscience it
    // speaks of.
    let text = "Sir Thomas sat with Mr. Rushworth. Mr. Rushworth was silent. Mr. Rushworth went out at last. Sir \
                Thomas's conscience was troubled, and he earnestly tried to speak.\n\n\
                “I blush for you,” said he.\n";
    assert_eq!(resolved(text), [row("I blush for you", "Sir Thomas", "pronoun")]);
}

#[test]
fn a_title_after_an_adjective_is_the_one_character_with_that_title() {
    let text = "Inspector Ratcliffe stood by Syme. Inspector Ratcliffe was grave. Syme smiled.\n\n\
                “No,” said the hopeless Inspector.\n";
    assert_eq!(resolved(text), [row("No", "Inspector Ratcliffe", "tag")]);
}

#[test]
fn a_companion_is_the_other_party_of_the_talk() {
    let text = "Mr. Syme walked with Mr. Gregory by the river. Mr. Syme was silent, and Mr. Gregory looked at the \
                water.\n\n\
                “It is cold,” said Mr. Gregory.\n\n\
                “Colder than you think,” said his companion.\n";
    let rows = resolved(text);
    assert_eq!(rows[1], row("Colder than you think", "Mr. Syme", "pronoun"), "{rows:?}");
}

#[test]
fn her_ladyship_is_the_nearest_lady() {
    let text = "Lady Bertram sat on the sofa. Fanny Price sewed beside Lady Bertram, and Fanny Price was quiet.\n\n\
                “It is very warm,” observed her ladyship.\n";
    assert_eq!(resolved(text), [row("It is very warm", "Lady Bertram", "pronoun")]);
}

#[test]
fn a_title_alone_in_the_narration_is_what_a_pronoun_after_it_refers_to() {
    // Mr. Ferrars is the last man named by name; `he` is the Colonel, the one colonel of the cast.
    let text = "Colonel Brandon called on Elinor Dashwood. Colonel Brandon sat down, and Elinor Dashwood spoke of \
                Mr. Ferrars. Mr. Ferrars was gone. Mr. Ferrars was poor.\n\n\
                At last the Colonel rose, and he spoke with feeling.\n\n\
                “I have heard of it,” said he.\n";
    assert_eq!(resolved(text), [row("I have heard of it", "Colonel Brandon", "pronoun")]);
}

#[test]
fn a_title_after_the_and_an_adjective_is_a_mention_too() {
    // `the staring Colonel` is the one colonel; without him, `he` would be Mr. Ratcliffe, the last man named.
    let text = "Colonel Ducroix walked beside Mr. Ratcliffe.\n\n\
                “It need not interrupt us,” said Mr. Ratcliffe. Mr. Ratcliffe was gloomy.\n\n\
                The staring Colonel was long past minding satire. He rolled his eyes.\n\n\
                “It is extraordinary,” he said.\n\n“Come,” said Colonel Ducroix.\n";
    let rows = resolved(text);
    assert_eq!(rows[1], row("It is extraordinary", "Colonel Ducroix", "pronoun"), "{rows:?}");
}

#[test]
fn a_man_named_only_after_a_preposition_is_found_when_no_subject_fits() {
    // Mr. Allen speaks under his name later, so he is no place taken for a name.
    let text = "Catherine Morland and Mrs. Allen sat all evening, looking for Mr. Allen. Catherine Morland was \
                tired. They were joined by Mr. Allen when the dance was over.\n\n\
                “Well, Miss Morland,” said he, “I hope you have had an agreeable ball.”\n\n\
                Catherine Morland said nothing.\n\n“Come, then,” said Mr. Allen.\n";
    let rows = resolved(text);
    assert_eq!(rows[0], row("Well, Miss Morland", "Mr. Allen", "pronoun"), "{rows:?}");
}

#[test]
fn a_name_only_a_tag_gives_takes_the_gender_of_its_title_or_head_noun() {
    // Neither the Admiral nor the Invisible Man is named in the narration: their titles and head nouns make them
    // men, so `he` goes back to them and not to the Captain the narration named.
    let text = "Captain Harville came in. Captain Harville sat down by the fire.\n\n\
                “We sail at noon,” said the Admiral.\n\n“So soon?” said Anne.\n\n“At noon,” he said.\n\n\
                Captain Harville went out.\n\n“Who is there?” said the Invisible Man.\n\n“Only me,” said Anne.\n\n\
                “Go away,” he said.\n";
    let got = resolved(text);
    assert_eq!(got[2], row("At noon", "Admiral", "pronoun"), "{got:?}");
    assert_eq!(got[5], row("Go away", "Invisible Man", "pronoun"), "{got:?}");
}

#[test]
fn he_or_she_is_never_the_narrator() {
    // The narrator, Mr. Hastings, spoke last and is a man, but calls himself `I`: `he` is the other man.
    let text = "“Good morning, Mr. Hastings,” said Mr. Poirot.\n\n“Good morning,” I said.\n\n\
                “Sit down, Mr. Hastings,” said Mr. Poirot.\n\n“Thank you,” I said.\n\n\
                “Tea, Mr. Hastings?” said Mr. Poirot.\n\n“Please,” I replied.\n\nI looked up at him sharply.\n\n\
                “You are not surprised?” I asked.\n\n“No,” he said.\n";
    let got = resolved(text);
    assert_eq!(got[6], row("You are not surprised", "Mr. Hastings", "pronoun"), "{got:?}");
    assert_eq!(got[7], row("No", "Mr. Poirot", "pronoun"), "{got:?}");
}

#[test]
fn a_conversation_no_tag_anchors_takes_its_voices_from_whom_each_side_addresses() {
    // No turn is tagged and the narration names no one: the first and third turns address Harriet, the second and
    // fourth Emma, so the odd turns are Emma's and the even ones Harriet's.
    let text = "The rain fell all day.\n\n“Do you like him, Harriet?”\n\n“Very much, Emma.”\n\n\
                “Then marry him, Harriet.”\n\n“I shall, Emma, I shall.”\n";
    let got = resolved(text);
    let speakers: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(speakers, ["Emma", "Harriet", "Emma", "Harriet"], "{got:?}");
    assert!(got.iter().all(|r| r.2 == "turn"), "{got:?}");
}
