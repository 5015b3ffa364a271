//! The corpus side of a pipeline: the spec its corpus-statistics keys are made under.

use super::Pipeline;
use crate::corpus::Fnv;
use crate::corpus::table::{self, KeySpec, Mismatch, TableHeader};
use crate::repair::RepairOptions;
use crate::rules::Kind;

impl Pipeline {
    /// The key spec of this pipeline: what its [`keys`](Self::keys) depend on. A corpus
    /// statistics table made under another spec does not clean with it.
    pub fn key_spec(&self) -> KeySpec {
        let pipeline = self;
        // Destructured without `..`: a new repair option must be named here.
        let RepairOptions {
            strip_tags,
            entities,
            mojibake,
            invisible,
            ligatures,
            fullwidth,
            dashes_ascii,
            ellipsis_ascii,
            nfkc,
        } = *pipeline.repair();
        let repairs = [
            (strip_tags, "strip-tags"),
            (entities, "entities"),
            (mojibake, "mojibake"),
            (invisible, "invisible"),
            (ligatures, "ligatures"),
            (fullwidth, "fullwidth"),
            (dashes_ascii, "dashes-ascii"),
            (ellipsis_ascii, "ellipsis-ascii"),
            (nfkc, "nfkc"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name.to_string())
        .collect();
        let mut digest = Fnv::new();
        let mut replace_rules = Vec::new();
        for rule in pipeline.rules().rules() {
            if rule.kind() != Kind::Replace {
                continue;
            }
            replace_rules.push(rule.id().to_string());
            digest.write(rule.id().as_bytes());
            for (from, to) in rule.map() {
                digest.write(&[0]);
                digest.write(from.as_bytes());
                digest.write(&[0]);
                digest.write(to.as_bytes());
            }
            digest.write(&[0xff]);
        }
        let keys = pipeline.keys(table::PROBE);
        let mut probe = Fnv::new();
        probe.write(&keys.document.to_le_bytes());
        for k in &keys.lines {
            probe.write(&k.to_le_bytes());
        }
        KeySpec {
            key: table::KEY.to_string(),
            min_letters: pipeline.rules().settings().corpus.min_letters,
            repairs,
            replace_digest: digest.0,
            replace_rules,
            probe: probe.0,
        }
    }

    /// Why the corpus-statistics table `table` cannot clean with this pipeline, if it cannot
    /// (see [`TableHeader::check`]).
    pub fn table_mismatch(&self, table: &TableHeader) -> Option<Mismatch> {
        table.check(&self.key_spec(), self.rules.settings().corpus.min_files)
    }
}
