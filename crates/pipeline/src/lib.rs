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
    /// The standard stages: segmentation, part-of-speech tagging, entity recognition, roles.
    pub fn standard() -> Self {
        Pipeline {
            stages: vec![
                Box::new(dateline_nlp::Segmenter),
                Box::new(dateline_nlp::PosTagger::default()),
                Box::new(dateline_nlp::Entities::default()),
                Box::new(dateline_nlp::Roles),
            ],
        }
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
}
