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

/// The PLOVER event and mode of a CAMEO code: the code's own line, else its parent's (four
/// digits → three → two). CAMEO's statements (01) have none: PLOVER dropped them. Its
/// appeals (02) have no line either, but PLOVER's REQUEST is "all requests, demands, and
/// orders", and CAMEO's appeal codes run parallel to its demand codes (020 and 100, 0231 and
/// 1031: aid, 026 and 106: a meeting), so an appeal is typed as the demand of its kind.
pub fn plover(code: &str) -> (Option<&'static str>, Option<&'static str>) {
    if let Some(kind) = code.strip_prefix("02") {
        return plover(&format!("10{kind}"));
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
/// what is intended: a promise of cooperation ("will send aid", "agreed to meet", "is ready
/// to withdraw"; CAMEO 03–08) is AGREE, one of force or punishment ("will strike", "vowed to
/// fight"; CAMEO 14–20) is THREATEN, as CAMEO's own intent (03) and threat (13) codes say.
/// Anything else keeps its own event.
pub fn promised_plover(code: &str) -> (Option<&'static str>, Option<&'static str>) {
    match root(code) {
        Some(3..=8) => (Some("AGREE"), None),
        Some(14..=20) => (Some("THREATEN"), None),
        _ => plover(code),
    }
}

/// The PLOVER type and mode an act takes by what is done and by whom, where its CAMEO code
/// alone (`plover`, `mode`) says otherwise; `by_the_state` tells whether every doer is the
/// state's (see [`of_the_state`]) or none is, `None` when unknown.
///
/// - A yield that withdraws, surrenders or resigns: CAMEO codes these as yields (080, 083),
///   which CAMEO2PLOVER maps to CONCEDE; PLOVER's codebook keeps CONCEDE for verbal
///   concessions and makes them RETREAT, an act with material consequences: "a military
///   retreat from, or ceding, territory" (mode withdraw, or disarm for a surrender) and
///   "resignations of government officials" (mode resign).
/// - An obstruction ("blocked the bridge"), coercion (170) or protest (144) in CAMEO: PLOVER's
///   PROTEST takes "all civilian demonstrations and other collective actions carried out as
///   protests" (mode obstruct), so it is a protest by those who are not the state and
///   coercion (mode restrict) by the state.
pub fn plover_by_trigger(
    plover: Option<&str>,
    mode: Option<&str>,
    lemma: &str,
    by_the_state: Option<bool>,
) -> Option<(&'static str, &'static str)> {
    let retreat = match lemma {
        "withdraw" | "withdrawal" | "retreat" | "pull" | "disengage" => Some("withdraw"),
        "surrender" => Some("disarm"),
        "resign" | "resignation" | "step" | "quit" => Some("resign"),
        _ => None,
    };
    let obstruction = matches!(lemma, "block" | "blockade" | "barricade" | "obstruct") || mode == Some("obstruct");
    match (plover, by_the_state) {
        (Some("CONCEDE"), _) => retreat.map(|m| ("RETREAT", m)),
        (Some("COERCE"), Some(false)) if obstruction => Some(("PROTEST", "obstruct")),
        (Some("PROTEST"), Some(true)) if obstruction => Some(("COERCE", "restrict")),
        _ => None,
    }
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
}
