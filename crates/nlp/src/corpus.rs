//! Readers for annotated corpora: CoNLL column files (word … POS … NER) and CoNLL-U (tagged
//! sentences, and whole trees for the parser). Pure
//! functions of the text; the caller reads the file. Errors name the file and line.

/// One annotated sentence.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    /// Part-of-speech tags (Penn Treebank in CoNLL files; UPOS or XPOS in CoNLL-U).
    pub tags: Vec<String>,
    /// Entity labels, IOB2 (converted from IOB1 when needed).
    pub ner: Vec<String>,
    /// Line of the file (from 1) that holds the first word; word `k` is on line `line + k` in
    /// CoNLL column files, so that later checks can name the line.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdTags {
    Upos,
    Xpos,
}

/// Reads a CoNLL column file: `word POS [chunk] NER` per line, blank lines between sentences,
/// `-DOCSTART-` lines ignored. IOB1 labels are converted to IOB2.
pub fn read_conll(name: &str, text: &str) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut width: Option<(usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 2 {
            return Err(format!("{name}:{}: expected at least 2 columns (word and tag), found {}", i + 1, cols.len()));
        }
        // Every line of a column file has the same columns: a line short of one would have
        // its chunk tag read as its entity label.
        match width {
            None => width = Some((cols.len(), i + 1)),
            Some((n, first)) if n != cols.len() => {
                return Err(format!(
                    "{name}:{}: {} columns, but line {first} has {n} (every line holds the same columns)",
                    i + 1,
                    cols.len()
                ))
            }
            Some(_) => {}
        }
        if cur.words.is_empty() {
            cur.line = i + 1;
        }
        let ner = cols[cols.len() - 1];
        if cols.len() >= 3 && !(ner == "O" || ner.starts_with("B-") || ner.starts_with("I-")) {
            return Err(format!("{name}:{}: last column {ner:?} is not an IOB entity label (O, B-X, I-X)", i + 1));
        }
        cur.words.push(cols[0].to_string());
        cur.tags.push(cols[1].to_string());
        if cols.len() >= 3 {
            cur.ner.push(ner.to_string());
        }
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    for s in &mut out {
        to_iob2(&mut s.ner);
    }
    Ok(out)
}

/// IOB1 (I- may start an entity) to IOB2 (B- starts every entity).
pub fn to_iob2(labels: &mut [String]) {
    for i in 0..labels.len() {
        if let Some(t) = labels[i].strip_prefix("I-") {
            let prev_type = if i == 0 { None } else { labels[i - 1].get(2..) };
            if prev_type != Some(t) {
                labels[i] = format!("B-{t}");
            }
        }
    }
}

/// Reads CoNLL-U, taking UPOS or XPOS as the tag (see [`read_treebank`], which it reads
/// through).
pub fn read_conllu(name: &str, text: &str, which: UdTags) -> Result<Vec<Sentence>, String> {
    Ok(read_treebank(name, text)?.into_iter().map(|t| t.sentence(which)).collect())
}

/// One sentence of a treebank. Heads are 1-based word numbers, 0 for the root, as in the file.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    pub lemmas: Vec<String>,
    pub heads: Vec<usize>,
    /// Basic relations, subtypes kept ("nsubj:pass", "obl:tmod").
    pub deprels: Vec<String>,
    /// Line of the file (from 1) of the first word.
    pub line: usize,
}

impl Tree {
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Reads CoNLL-U. Multiword-token lines and empty nodes are skipped (the words are the
/// tokens; basic relations never point at empty nodes). Every head must name a word of its
/// sentence.
pub fn read_treebank(name: &str, text: &str) -> Result<Vec<Tree>, String> {
    let mut out = Vec::new();
    let mut cur = Tree::default();
    let finish = |cur: &mut Tree, out: &mut Vec<Tree>, line: usize| -> Result<(), String> {
        if cur.is_empty() {
            return Ok(());
        }
        if let Some(k) = cur.heads.iter().position(|&h| h > cur.len()) {
            return Err(format!(
                "{name}:{}: head {} is outside its sentence of {} words",
                cur.line + k,
                cur.heads[k],
                cur.len()
            ));
        }
        if !cur.heads.contains(&0) {
            return Err(format!("{name}:{line}: the sentence that starts on line {} has no root", cur.line));
        }
        out.push(std::mem::take(cur));
        Ok(())
    };
    let mut last_line = 0;
    for (i, line) in text.lines().enumerate() {
        last_line = i + 1;
        if line.trim().is_empty() {
            finish(&mut cur, &mut out, i + 1)?;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!("{name}:{}: expected 10 tab-separated columns, found {}", i + 1, cols.len()));
        }
        if cols[0].contains(['-', '.']) {
            continue;
        }
        let id: usize =
            cols[0].parse().map_err(|_| format!("{name}:{}: word number {:?} is not a number", i + 1, cols[0]))?;
        if id != cur.len() + 1 {
            return Err(format!("{name}:{}: word number {id} out of order (expected {})", i + 1, cur.len() + 1));
        }
        let head: usize =
            cols[6].parse().map_err(|_| format!("{name}:{}: head {:?} is not a number", i + 1, cols[6]))?;
        if cur.is_empty() {
            cur.line = i + 1;
        }
        cur.words.push(cols[1].to_string());
        cur.lemmas.push(cols[2].to_string());
        cur.upos.push(cols[3].to_string());
        cur.xpos.push(cols[4].to_string());
        cur.heads.push(head);
        cur.deprels.push(cols[7].to_string());
    }
    finish(&mut cur, &mut out, last_line)?;
    Ok(out)
}

impl Tree {
    /// The tree as a tagged sentence, for the tagger: its words and UPOS or XPOS tags.
    pub fn sentence(self, which: UdTags) -> Sentence {
        let tags = match which {
            UdTags::Upos => self.upos,
            UdTags::Xpos => self.xpos,
        };
        Sentence { words: self.words, tags, ner: Vec::new(), line: self.line }
    }
}

/// Splits a corpus without document markers into documents, from the shape of newswire: a
/// document opens with a headline followed by a short dateline sentence ending in an ISO date
/// ("LONDON 1996-08-30"). Ranges of sentence indices; the first starts at 0.
pub fn documents(sentences: &[Sentence]) -> Vec<std::ops::Range<usize>> {
    let is_dateline = |s: &Sentence| {
        s.words.len() <= 8
            && s.words.last().is_some_and(|w| {
                let b = w.as_bytes();
                b.len() == 10 && b[4] == b'-' && b[7] == b'-' && w.bytes().filter(u8::is_ascii_digit).count() == 8
            })
    };
    let mut starts = vec![0];
    for (k, s) in sentences.iter().enumerate().skip(2) {
        if is_dateline(s) && starts.last() != Some(&(k - 1)) {
            starts.push(k - 1);
        }
    }
    starts.push(sentences.len());
    starts.windows(2).filter(|w| w[0] < w[1]).map(|w| w[0]..w[1]).collect()
}

/// Entity spans `(start, end, type)` (end exclusive) from IOB2 labels.
pub fn spans_of(labels: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if let Some(t) = labels[i].strip_prefix("B-").or_else(|| labels[i].strip_prefix("I-")) {
            let mut j = i + 1;
            while j < labels.len() && labels[j].strip_prefix("I-") == Some(t) {
                j += 1;
            }
            out.push((i, j, t.to_string()));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conll_and_converts_iob1() {
        let s = read_conll("x", "Kari NNP I-NP I-PER\nLind NNP I-NP I-PER\nvisits VBZ I-VP O\nOslo NNP I-NP I-LOC\n\n")
            .unwrap();
        assert_eq!(s[0].ner, ["B-PER", "I-PER", "O", "B-LOC"]);
        assert_eq!(spans_of(&s[0].ner), [(0, 2, "PER".to_string()), (3, 4, "LOC".to_string())]);
        let e = read_conll("f.txt", "Kari NNP I-NP I-PER\nbad\n").unwrap_err();
        assert!(e.starts_with("f.txt:2:"), "{e}");
        let e = read_conll("f.txt", "Kari NNP I-NP I-PER\n\nOslo NNP B-NP\n").unwrap_err();
        assert!(e.starts_with("f.txt:3: 3 columns, but line 1 has 4"), "{e}");
        let s = read_conll("f.txt", "A DT O\n\nKari NNP B-PER\nLind NNP I-PER\n").unwrap();
        assert_eq!((s[0].line, s[1].line), (1, 3));
    }

    const TREE: &str = "# text = Ferries ran again.\n\
        1\tFerries\tferry\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n\
        2\tran\trun\tVERB\tVBD\t_\t0\troot\t_\t_\n\
        3\tagain\tagain\tADV\tRB\t_\t2\tadvmod\t_\t_\n\
        4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

    #[test]
    fn reads_trees_and_names_bad_lines() {
        let t = read_treebank("t.conllu", TREE).unwrap();
        assert_eq!(t[0].heads, [2, 0, 2, 2]);
        assert_eq!(t[0].lemmas[1], "run");
        let bad = TREE.replace("\t2\tadvmod", "\t9\tadvmod");
        assert!(read_treebank("t.conllu", &bad).unwrap_err().starts_with("t.conllu:4: head 9"));
    }
}
