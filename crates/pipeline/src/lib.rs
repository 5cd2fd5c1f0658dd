//! The pipeline: the ordered list of annotation stages a document goes through.
//!
//! Owns: which stages run, in which order, and with which models. Every entry point (`ingest`,
//! `extract`, later the server) gets its documents annotated here, so they cannot drift apart.
//!
//! Must never: do I/O or hold per-document state; a `Pipeline` is shared by worker threads.

use dateline_model::{Document, Stage};

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The standard stages: segmentation, part-of-speech tagging, lemmas and dependency parse,
    /// entity recognition, roles, temporal expressions, quotes, the entities layer (who each
    /// reference is), events.
    pub fn standard() -> Self {
        Pipeline {
            stages: vec![
                Box::new(dateline_nlp::Segmenter),
                Box::new(dateline_nlp::PosTagger::default()),
                Box::new(dateline_syntax::Syntax::default()),
                Box::new(dateline_nlp::Entities::default()),
                Box::new(dateline_nlp::Roles),
                Box::new(dateline_time::TimeTagger),
                Box::new(dateline_quotes::Quotes),
                Box::new(dateline_resolve::DocumentEntities::default()),
                Box::new(dateline_events::Events::default()),
            ],
        }
    }

    /// The standard stages named in `names`, in the standard order: a part of the pipeline to
    /// time on its own (`dateline bench nlp --stages`). An unknown name is an error that lists
    /// the known ones. A stage left out leaves its layer empty for the stages after it.
    pub fn standard_only(names: &[String]) -> Result<Self, String> {
        let standard = Pipeline::standard();
        let known = standard.stage_names();
        if let Some(bad) = names.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(format!("no stage named {bad:?}; the stages are {}", known.join(", ")));
        }
        let stages = standard.stages.into_iter().filter(|s| names.iter().any(|n| n == s.name())).collect();
        Ok(Pipeline { stages })
    }

    pub fn from_stages(stages: Vec<Box<dyn Stage>>) -> Self {
        Pipeline { stages }
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage over the document.
    pub fn annotate(&self, doc: &mut Document) {
        for stage in &self.stages {
            stage.annotate(doc);
        }
        debug_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
    }

    /// [`Pipeline::annotate`], adding each stage's time into `times` (one entry per stage, in
    /// order): what `dateline bench nlp` reports as each stage's share. The clock is read by
    /// the caller's choice, not the pipeline's.
    pub fn annotate_timed(
        &self,
        doc: &mut Document,
        times: &mut [std::time::Duration],
        now: impl Fn() -> std::time::Instant,
    ) {
        for (stage, t) in self.stages.iter().zip(times.iter_mut()) {
            let t0 = now();
            stage.annotate(doc);
            *t += now() - t0;
        }
    }

    /// Like [`Pipeline::annotate`], but a stage that panics on this document (a bug, never
    /// expected) costs only this document: the error names the stage, and the batch goes on.
    pub fn try_annotate(&self, doc: &mut Document) -> Result<(), String> {
        for stage in &self.stages {
            let run = std::panic::AssertUnwindSafe(|| stage.annotate(doc));
            if let Err(panic) = std::panic::catch_unwind(run) {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".into());
                return Err(format!("internal error in the {} stage (please report): {why}", stage.name()));
            }
        }
        doc.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Panics;

    impl Stage for Panics {
        fn name(&self) -> &'static str {
            "panics"
        }
        fn annotate(&self, _: &mut Document) {
            panic!("deliberate");
        }
    }

    #[test]
    fn a_panicking_stage_costs_only_its_document() {
        let p = Pipeline::from_stages(vec![Box::new(dateline_nlp::Segmenter), Box::new(Panics)]);
        let mut doc = Document::new("t", "One sentence.");
        let err = p.try_annotate(&mut doc).unwrap_err();
        assert!(err.contains("panics stage") && err.contains("deliberate"), "{err}");
        // The standard pipeline annotates every layer and keeps every span valid.
        let mut doc = Document::new("t", "Envoys met in Oslo on Monday, the ministry said.");
        doc.published = Some("2024-03-30".parse().unwrap());
        Pipeline::standard().try_annotate(&mut doc).unwrap();
        assert!(!doc.tokens.is_empty() && !doc.mentions.is_empty() && !doc.timexes.is_empty());
    }
}
