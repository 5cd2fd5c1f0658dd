//! What a story is about: world news, politics, business, sport, technology or entertainment.
//!
//! Owns: the story topic classifier ([`TopicModel`]: multinomial naive Bayes over a story's
//! words), its training from labelled stories ([`TopicModel::train`]) and its model format
//! (a TSV of word counts per topic), and the built-in model ([`TopicModel::builtin`]), learned
//! by `dateline train topics` from the BBC news set's five sections (its politics is British
//! politics) and, as `world`, the PLOVER synthetic stories (political events abroad: conflict,
//! diplomacy, protest), without which conflict news read as business.
//!
//! The events coder asks it whether a story is political news at all: "beat", "hit" and
//! "took" code as attacks and seizures in CAMEO, and in a match report they are none (see
//! `dateline_events::political_only`).
//!
//! Must never: read files (the built-in model is compiled in; a trained one is handed over as
//! text), or decide anything on a text too short to tell ([`Topic::MIN_WORDS`]): a single
//! sentence has no topic here.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A story's topic as the classifier reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The topic's name, as the training labels spell it ("sport").
    pub name: String,
    /// Its posterior probability among the model's topics.
    pub probability: f64,
}

impl Topic {
    /// Fewest words (as [`words`] counts them) a text needs for a topic: below it, a text is
    /// a sentence or a brief, and its few words are no evidence of what the story is about.
    pub const MIN_WORDS: usize = 80;
}

/// Multinomial naive Bayes over lower-cased words: each topic's word counts, smoothed.
#[derive(Debug, Clone, Default)]
pub struct TopicModel {
    topics: Vec<String>,
    /// Stories per topic in training (the prior).
    stories: Vec<u32>,
    /// Word counts per topic, over the kept vocabulary.
    counts: HashMap<String, Vec<u32>>,
    /// Total kept words per topic.
    totals: Vec<u64>,
}

/// Additive smoothing of the word counts.
const ALPHA: f64 = 0.5;

/// The words a topic is read from: runs of letters (apostrophes inside), lower-cased, of three
/// letters or more (shorter ones are function words in every topic).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphabetic() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

impl TopicModel {
    /// Learns from `(topic, text)` pairs, keeping words seen at least `min_count` times in all.
    pub fn train<'a>(stories: impl IntoIterator<Item = (&'a str, &'a str)>, min_count: u32) -> TopicModel {
        let mut topics: Vec<String> = Vec::new();
        let mut per_story: Vec<(usize, HashMap<String, u32>)> = Vec::new();
        for (topic, text) in stories {
            let k = topics.iter().position(|t| t == topic).unwrap_or_else(|| {
                topics.push(topic.to_string());
                topics.len() - 1
            });
            let mut bag: HashMap<String, u32> = HashMap::new();
            for w in words(text) {
                *bag.entry(w).or_default() += 1;
            }
            per_story.push((k, bag));
        }
        let mut all: HashMap<&str, u32> = HashMap::new();
        for (_, bag) in &per_story {
            for (w, n) in bag {
                *all.entry(w).or_default() += n;
            }
        }
        let mut m = TopicModel {
            stories: vec![0; topics.len()],
            totals: vec![0; topics.len()],
            topics,
            counts: HashMap::new(),
        };
        for (k, bag) in &per_story {
            m.stories[*k] += 1;
            for (w, &n) in bag {
                if all[w.as_str()] >= min_count {
                    m.counts.entry(w.clone()).or_insert_with(|| vec![0; m.topics.len()])[*k] += n;
                    m.totals[*k] += u64::from(n);
                }
            }
        }
        m
    }

    /// The topics it knows, in its order.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// Every topic's probability for `text`, in [`Self::topics`]' order.
    pub fn posterior(&self, text: &str) -> Vec<f64> {
        self.posterior_of(words(text))
    }

    fn posterior_of(&self, words: impl IntoIterator<Item = String>) -> Vec<f64> {
        let n_stories: u32 = self.stories.iter().sum();
        let vocabulary = self.counts.len() as f64;
        let mut log: Vec<f64> =
            self.stories.iter().map(|&s| (f64::from(s) + 1.0).ln() - f64::from(n_stories + 1).ln()).collect();
        // Each known word adds its smoothed count over its topic's smoothed total: the totals'
        // part is the same for every word, taken once per word at the end.
        let mut known = 0.0;
        for w in words {
            let Some(c) = self.counts.get(&w) else { continue };
            known += 1.0;
            for (k, l) in log.iter_mut().enumerate() {
                *l += (f64::from(c[k]) + ALPHA).ln();
            }
        }
        for (k, l) in log.iter_mut().enumerate() {
            *l -= known * (self.totals[k] as f64 + ALPHA * vocabulary).ln();
        }
        let top = log.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = log.iter().map(|l| (l - top).exp()).collect();
        let sum: f64 = exp.iter().sum();
        exp.iter().map(|e| e / sum).collect()
    }

    /// The most probable topic of a story, or `None` for a text of fewer than
    /// [`Topic::MIN_WORDS`] words or a model with no topics.
    pub fn classify(&self, text: &str) -> Option<Topic> {
        let words: Vec<String> = words(text).collect();
        if self.topics.is_empty() || words.len() < Topic::MIN_WORDS {
            return None;
        }
        let p = self.posterior_of(words);
        let (k, &probability) = p.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
        Some(Topic { name: self.topics[k].clone(), probability })
    }

    /// The model as text: a `#topics` line (each topic with its story count), then one line
    /// per word with its count in each topic.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# Story topic model (multinomial naive Bayes), learned by `dateline train topics`: word counts per topic.\n",
        );
        out.push_str("#topics");
        for (t, s) in self.topics.iter().zip(&self.stories) {
            out.push_str(&format!("\t{t}:{s}"));
        }
        out.push('\n');
        let mut words: Vec<(&String, &Vec<u32>)> = self.counts.iter().collect();
        words.sort();
        for (w, c) in words {
            out.push_str(w);
            for n in c {
                out.push_str(&format!("\t{n}"));
            }
            out.push('\n');
        }
        out
    }

    /// Reads [`Self::to_tsv`]'s format; the error names the line.
    pub fn from_tsv(text: &str) -> Result<TopicModel, String> {
        let mut m = TopicModel::default();
        for (n, line) in text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix("#topics") {
                for field in rest.split('\t').filter(|f| !f.is_empty()) {
                    let (t, s) = field.rsplit_once(':').ok_or(format!("line {}: topic without a count", n + 1))?;
                    m.topics.push(t.to_string());
                    m.stories.push(s.parse().map_err(|_| format!("line {}: bad story count {s:?}", n + 1))?);
                }
                m.totals = vec![0; m.topics.len()];
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let w = f.next().unwrap_or_default().to_string();
            let c: Vec<u32> =
                f.map(|x| x.parse()).collect::<Result<_, _>>().map_err(|_| format!("line {}: bad count", n + 1))?;
            if c.len() != m.topics.len() {
                return Err(format!("line {}: {} counts for {} topics", n + 1, c.len(), m.topics.len()));
            }
            for (k, &x) in c.iter().enumerate() {
                m.totals[k] += u64::from(x);
            }
            m.counts.insert(w, c);
        }
        if m.topics.is_empty() {
            return Err("no #topics line".into());
        }
        Ok(m)
    }

    /// The built-in model: learned from the BBC news set's five sections (business,
    /// entertainment, politics, sport, tech) and the PLOVER synthetic stories (world).
    pub fn builtin() -> &'static TopicModel {
        static MODEL: OnceLock<TopicModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            let mut text = String::new();
            use std::io::Read;
            flate2::read::GzDecoder::new(&include_bytes!("../data/topics.tsv.gz")[..])
                .read_to_string(&mut text)
                .expect("the built-in topic model is gzip text");
            TopicModel::from_tsv(&text).expect("the built-in topic model parses")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(words: &str, times: usize) -> String {
        vec![words; times].join(" ")
    }

    #[test]
    fn learns_and_reads_back() {
        let match_report = story("the striker scored twice and the keeper saved a penalty in the final", 10);
        let budget = story("the minister presented the budget to parliament and the opposition voted against", 10);
        let m = TopicModel::train([("sport", match_report.as_str()), ("politics", budget.as_str())], 1);
        let report = story("the keeper saved the penalty and the striker scored in the final", 10);
        let t = m.classify(&report).unwrap();
        assert_eq!(t.name, "sport");
        assert!(t.probability > 0.99);
        let back = TopicModel::from_tsv(&m.to_tsv()).unwrap();
        assert_eq!(back.classify(&report), m.classify(&report));
        // A sentence has no topic.
        assert_eq!(m.classify("The striker scored twice."), None);
    }

    #[test]
    fn a_malformed_model_names_its_line() {
        let e = TopicModel::from_tsv("#topics\ta:1\tb:2\nword\t1\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn the_built_in_model_reads_its_sections() {
        let m = TopicModel::builtin();
        assert_eq!(m.topics().len(), 6);
        let report = story("the midfielder scored in the second half as the champions won the league match", 8);
        assert_eq!(m.classify(&report).unwrap().name, "sport");
        let debate = story("the prime minister told parliament the government would hold an election on the bill", 8);
        assert_eq!(m.classify(&debate).unwrap().name, "politics");
    }
}
