//! What a CAMEO code means beyond itself: its current PLOVER event and mode (PLOVER's own
//! CAMEO2PLOVER table, kept in `data/cameo-plover.tsv`), CAMEO's quad class, and the Goldstein
//! score of its root category.

use std::collections::HashMap;
use std::sync::OnceLock;

fn table() -> &'static HashMap<String, (String, Option<String>)> {
    static T: OnceLock<HashMap<String, (String, Option<String>)>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../data/cameo-plover.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let code = f.next()?.trim().to_string();
                let event = f.next()?.trim().to_string();
                let mode = f.next().map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
                Some((code, (event, mode)))
            })
            .collect()
    })
}

/// Codes (and the codes under them) that PLOVER's codebook types otherwise than the
/// CAMEO2PLOVER table, by the codebook's own words:
///
/// - sanctions, embargoes and boycotts (163): "international (political or economic)
///   sanctions are coded as [SANCTION] 'discontinue'" (the table: COERCE);
/// - an intent to yield (035: "is ready to withdraw", "offered to release"): "future
///   concessions … do not reduce to AGREE" (the table: AGREE);
/// - lifting a curfew or a state of emergency (0813, 0814) and declaring a ceasefire (0871):
///   CONCEDE "covers … the promise of future concessions such as easing of … restrictions,
///   removing curfews, suspending protests, and declarations (but not implementations) of
///   ceasefires" (the table: RETREAT).
const CODEBOOK: [(&str, &str, Option<&str>); 5] = [
    ("163", "SANCTION", Some("discontinue")),
    ("035", "CONCEDE", None),
    ("0813", "CONCEDE", None),
    ("0814", "CONCEDE", None),
    ("0871", "CONCEDE", None),
];

/// The PLOVER event and mode of a CAMEO code: the code's own line, else its parent's (four
/// digits → three → two), where the codebook does not say otherwise ([`CODEBOOK`]). CAMEO's
/// statements (01) have none: PLOVER dropped them. Its appeals (02) have no line either, but
/// PLOVER's REQUEST is "all requests, demands, and orders", and CAMEO's appeal codes run
/// parallel to its demand codes (020 and 100, 0231 and 1031: aid, 026 and 106: a meeting), so
/// an appeal is typed as the demand of its kind.
pub fn plover(code: &str) -> (Option<&'static str>, Option<&'static str>) {
    if let Some(kind) = code.strip_prefix("02") {
        return plover(&format!("10{kind}"));
    }
    if let Some(&(_, event, mode)) = CODEBOOK.iter().find(|(c, _, _)| code.starts_with(c)) {
        return (Some(event), mode);
    }
    let t = table();
    for len in (2..=code.len()).rev() {
        if let Some((event, mode)) = code.get(..len).and_then(|c| t.get(c)) {
            // A mode belongs to the exact code; a parent's mode would over-claim.
            let mode = if len == code.len() { mode.as_deref() } else { None };
            return (Some(event.as_str()), mode);
        }
    }
    (None, None)
}

/// The PLOVER event of a promised act. PLOVER's codebook types an actor's stated intent by
/// what is intended: a promise of cooperation ("will send aid", "agreed to meet"; CAMEO 03–07)
/// is AGREE, one of force or punishment ("will strike", "vowed to fight"; CAMEO 14–20) is
/// THREATEN, as CAMEO's own intent (03) and threat (13) codes say. A promised yield (CAMEO 08:
/// "is ready to withdraw", "will allow the inspectors back") is CONCEDE: "future concessions
/// … do not reduce to AGREE" and "announcements of future retreats should be coded as
/// CONCEDE" (the PLOVER gold sentences, coded in PLOVER 0.5b1, have them as AGREE: `eval
/// events` reads ours in that version's terms there). Anything else keeps its own event.
pub fn promised_plover(code: &str) -> (Option<&'static str>, Option<&'static str>) {
    match root(code) {
        Some(8) => (Some("CONCEDE"), None),
        // (An intent, 03, is a promise already: its own type, AGREE or, for a yield, CONCEDE.)
        Some(4..=7) => (Some("AGREE"), None),
        Some(14..=20) => (Some("THREATEN"), None),
        _ => plover(code),
    }
}

/// What the coder knows of an act beyond its code, for the readings of PLOVER's codebook that
/// the code alone does not give (see [`plover_by_codebook`]).
#[derive(Debug, Default)]
pub struct ActFacts<'a> {
    /// The CAMEO code, if the act has one.
    pub code: Option<&'a str>,
    /// The PLOVER type and mode its code (or the lexicon) gave.
    pub plover: Option<&'a str>,
    pub mode: Option<&'a str>,
    /// The trigger's lemma.
    pub lemma: &'a str,
    /// Whether every doer is the state's (see [`of_the_state`]) or none is; `None` unknown.
    pub by_the_state: Option<bool>,
    /// How many countries the doers' codes name (two or more: a joint act).
    pub doer_countries: usize,
    /// Every target is a diplomat (an ambassador, envoy, consul …).
    pub on_diplomats: bool,
    /// Every target is a diplomat or an international or non-governmental organisation's
    /// (inspectors, observers, peacekeepers, aid agencies: CAMEO's 166).
    pub on_foreign_missions: bool,
    /// Every target is an armed force's (military, rebels, insurgents).
    pub on_combatants: bool,
    /// The act is announced, not done ("will withdraw").
    pub planned: bool,
}

/// Words naming a diplomat, which the agent dictionaries code as plain government (`GOV`).
pub fn is_diplomat_word(lower: &str) -> bool {
    ["ambassador", "envoy", "diplomat", "consul", "chargé", "charge d'affaires", "attaché", "attache"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The sector codes after an actor code's first three letters ("PSEREBHAM" → REB, HAM).
fn sectors(code: &str) -> impl Iterator<Item = &str> {
    (3..code.len()).step_by(3).filter_map(move |i| code.get(i..i + 3))
}

/// Whether an actor code is an international or non-governmental organisation's (`IGO…`,
/// `NGO…`, `KSTNGO`).
pub fn is_international_body(code: &str) -> bool {
    let head = code.get(..3).unwrap_or_default();
    matches!(head, "IGO" | "NGO") || sectors(code).any(|s| matches!(s, "IGO" | "NGO"))
}

/// Whether an actor code is an armed force's: a military (`MIL`), rebels (`REB`), insurgents
/// (`INS`) or an unidentified armed force (`UAF`).
pub fn is_combatant(code: &str) -> bool {
    sectors(code).any(|s| matches!(s, "MIL" | "REB" | "INS" | "UAF"))
}

/// Sectors of the state, its opponents and armed forces (government, military, police,
/// rebels, insurgents, intelligence, judiciary, legislature, opposition, parties,
/// separatists, unidentified armed forces, international organisations).
const POLITICAL_SECTORS: [&str; 13] =
    ["GOV", "MIL", "COP", "REB", "INS", "SPY", "JUD", "LEG", "OPP", "PTY", "SEP", "UAF", "IGO"];

/// Whether an actor code names a political actor by its sector (`---GOV`, `KSTREB`, `IGO…`).
pub fn is_political_actor(code: &str) -> bool {
    let head = code.get(..3).unwrap_or_default();
    POLITICAL_SECTORS.contains(&head) || sectors(code).any(|s| POLITICAL_SECTORS.contains(&s))
}

/// Whether an actor code is a state's as such: a country's code, alone or with political
/// sectors only (`KST`, `KSTGOV`), not a country's firm or people (`KSTBUS`).
pub fn is_state(code: &str) -> bool {
    code.get(..3).is_some_and(|h| h != "---" && !POLITICAL_SECTORS.contains(&h))
        && sectors(code).all(|s| POLITICAL_SECTORS.contains(&s))
}

/// The PLOVER type and mode an act takes where PLOVER's codebook reads it by more than its
/// code (by its trigger, its doers, its targets; readings by the code alone are in
/// [`plover`]); `None` where the code's type stands. Each reading is one of the codebook's
/// own rules (its definitions and "potential ambiguities"):
///
/// - A yield that withdraws, surrenders or resigns: CAMEO codes these as yields (080, 083),
///   which CAMEO2PLOVER maps to CONCEDE; PLOVER keeps CONCEDE for verbal concessions and makes
///   them RETREAT, "a military retreat from, or ceding, territory" (mode withdraw, or disarm
///   for a surrender) and "resignations of government officials" (mode resign).
/// - An obstruction ("blocked the bridge"), coercion (170) or protest (144) in CAMEO: PLOVER's
///   PROTEST takes "all civilian demonstrations and other collective actions carried out as
///   protests" (mode obstruct), so it is a protest by those who are not the state and
///   coercion (mode restrict) by the state.
/// - Summoning an ambassador "is just coded ACCUSE, not CONSULT" (mode disapprove); expelling
///   "ambassadors or similar diplomats" is SANCTION expel, as is expelling an international
///   or non-governmental organisation's people (CAMEO's 166: peacekeepers, inspectors,
///   observers, aid agencies), where expelling individuals (174) is otherwise COERCE deport.
/// - "Combatants captured during conflict should be coded as ASSAULT 'abduct' rather than
///   COERCE 'arrest'."
/// - "Joint military operations are coded as COOPERATE but single-country exercises … as
///   MOBILIZE": a show of force (CAMEO 15) by the forces of two or more countries together.
/// - Hostage rescues are AID ("rescued 10 hostages"), not the release a captor makes.
pub fn plover_by_codebook(f: &ActFacts) -> Option<(&'static str, Option<&'static str>)> {
    let lemma = f.lemma;
    let retreat = match lemma {
        "withdraw" | "withdrawal" | "retreat" | "pull" | "disengage" => Some("withdraw"),
        "surrender" => Some("disarm"),
        "resign" | "resignation" | "step" | "quit" => Some("resign"),
        _ => None,
    };
    let obstruction = matches!(lemma, "block" | "blockade" | "barricade" | "obstruct") || f.mode == Some("obstruct");
    let code = f.code.unwrap_or("");
    let typed = match (f.plover, f.by_the_state) {
        // "Announcements of future retreats should be coded as CONCEDE."
        (Some("CONCEDE"), _) if retreat.is_some() && !f.planned => ("RETREAT", retreat),
        (Some("COERCE"), Some(false)) if obstruction => ("PROTEST", Some("obstruct")),
        (Some("PROTEST"), Some(true)) if obstruction => ("COERCE", Some("restrict")),
        (Some("CONSULT"), _) if lemma == "summon" && f.on_diplomats => ("ACCUSE", Some("disapprove")),
        _ if code.starts_with("174") && f.on_foreign_missions => ("SANCTION", Some("expel")),
        (Some("COERCE"), _) if f.mode == Some("arrest") && f.on_combatants => ("ASSAULT", Some("abduct")),
        // COOPERATE and AID have no modes.
        (Some("MOBILIZE"), _) if code.starts_with("15") && f.doer_countries >= 2 => ("COOPERATE", None),
        (Some("RETREAT" | "CONCEDE"), _) if lemma == "rescue" => ("AID", None),
        _ => return None,
    };
    Some(typed)
}

/// Whether an actor code is the state's: a bare country, an international body, or one of the
/// state's sectors (government, military, police, courts, legislature, intelligence).
pub fn of_the_state(code: &str) -> bool {
    code.len() <= 3
        || code.starts_with("IGO")
        || matches!(code.get(3..6), Some("GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY"))
}

fn root(code: &str) -> Option<u8> {
    code.get(..2)?.parse().ok().filter(|r| (1..=20).contains(r))
}

/// CAMEO's quad class: 1 verbal cooperation (01–05), 2 material cooperation (06–08),
/// 3 verbal conflict (09–13), 4 material conflict (14–20).
pub fn quad_class(code: &str) -> Option<u8> {
    Some(match root(code)? {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        _ => 4,
    })
}

/// The Goldstein score of the code's root category (the values GDELT publishes for the root
/// codes; finer codes differ by a point or so).
pub fn goldstein(code: &str) -> Option<f32> {
    const ROOTS: [f32; 20] = [
        0.0, 3.0, 4.0, 1.0, 3.5, 6.0, 7.0, 5.0, -2.0, -5.0, -2.0, -4.0, -6.0, -6.5, -7.2, -4.0, -7.0, -9.0, -10.0,
        -10.0,
    ];
    root(code).map(|r| ROOTS[r as usize - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_plover_and_classes() {
        assert_eq!(plover("042"), (Some("CONSULT"), Some("visit")));
        assert_eq!(plover("0361"), (Some("AGREE"), None));
        // An appeal is the request of its kind; a statement has no PLOVER event.
        assert_eq!(plover("0231"), plover("1031"));
        assert_eq!(plover("026"), (Some("REQUEST"), Some("meet")));
        assert_eq!(plover("010"), (None, None));
        assert_eq!(quad_class("190"), Some(4));
        assert_eq!(quad_class("036"), Some(1));
        assert_eq!(goldstein("190"), Some(-10.0));
    }

    /// The codebook's readings where CAMEO2PLOVER's table would type by the code alone.
    #[test]
    fn the_codebook_reads_some_acts_by_whom_and_on_whom() {
        let act = |code: &'static str, lemma: &'static str| {
            let (plover, mode) = plover(code);
            ActFacts { code: Some(code), plover, mode, lemma, ..ActFacts::default() }
        };
        // Sanctions are SANCTION, whatever the table says of 163.
        assert_eq!(table()["163"].0, "COERCE");
        assert_eq!(plover("163"), (Some("SANCTION"), Some("discontinue")));
        // Summoning an ambassador is a complaint; summoning anyone else stays a meeting.
        let summon = ActFacts { on_diplomats: true, ..act("040", "summon") };
        assert_eq!(plover_by_codebook(&summon), Some(("ACCUSE", Some("disapprove"))));
        assert_eq!(plover_by_codebook(&act("040", "summon")), None);
        // Expelling diplomats is a sanction; expelling others, coercion (deport).
        let expel = ActFacts { on_foreign_missions: true, ..act("174", "expel") };
        assert_eq!(plover_by_codebook(&expel), Some(("SANCTION", Some("expel"))));
        assert_eq!(plover_by_codebook(&act("174", "expel")), None);
        // Combatants taken are abducted, not arrested.
        let taken = ActFacts { on_combatants: true, ..act("173", "arrest") };
        assert_eq!(plover_by_codebook(&taken), Some(("ASSAULT", Some("abduct"))));
        // Two countries' forces showing force together cooperate; one country's mobilizes.
        let joint = ActFacts { doer_countries: 2, ..act("150", "launch") };
        assert_eq!(plover_by_codebook(&joint), Some(("COOPERATE", None)));
        assert_eq!(plover_by_codebook(&ActFacts { doer_countries: 1, ..act("150", "launch") }), None);
        // Intents to yield, lifted curfews and declared ceasefires are concessions, promised
        // or not; a release stays a retreat.
        for code in ["0356", "0813", "0871"] {
            assert_eq!((plover(code).0, promised_plover(code).0), (Some("CONCEDE"), Some("CONCEDE")), "{code}");
        }
        assert_eq!(plover("0841").0, Some("RETREAT"));
        assert_eq!(promised_plover("0361").0, Some("AGREE"));
        assert!(is_combatant("ISRMIL") && is_combatant("PSEREBHAM") && !is_combatant("ISRGOV"));
        assert!(is_political_actor("---GOV") && is_political_actor("IGOUNO") && !is_political_actor("KSTBUS"));
        assert!(is_state("KST") && is_state("KSTGOV") && !is_state("KSTBUS") && !is_state("---GOV"));
        assert!(is_diplomat_word("the kestrelian ambassador") && !is_diplomat_word("the minister"));
        assert!(
            is_international_body("IGOUNOIAE") && is_international_body("KSTNGO") && !is_international_body("KSTGOV")
        );
    }
}
