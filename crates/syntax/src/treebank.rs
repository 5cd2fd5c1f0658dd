//! CoNLL-U treebanks with everything the parser and the lemmatizer learn from: words, tags,
//! lemmas, heads and relations. A pure function of the text; errors name the file and line.

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

/// Whether the tree has crossing arcs (the parser's transitions build projective trees only).
pub fn is_projective(heads: &[usize]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(d, &h)| {
            let d = d + 1;
            (d.min(h), d.max(h))
        })
        .collect();
    for &(a, b) in &arcs {
        for &(c, d) in &arcs {
            if a < c && c < b && b < d {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(is_projective(&t[0].heads));
        let bad = TREE.replace("\t2\tadvmod", "\t9\tadvmod");
        assert!(read_treebank("t.conllu", &bad).unwrap_err().starts_with("t.conllu:4: head 9"));
        assert!(!is_projective(&[3, 4, 0, 3]));
    }
}
