//! Inheritance: a blank setting takes the value of the nearest ancestor that
//! sets it, else the AR settings default. Unlike ERPNext, which looks only at
//! a customer's direct group, the whole tree is walked.

use crate::bindings::erp::customer_group::types::{CustomerGroup, Settings};
use crate::bindings::exports::erp::customer_group::inheritance::{
    EffectiveSettings, Provenance, Source,
};
use crate::facts::{Facts, Tree};
use crate::model::{self, SETTINGS};

/// Resolves `own` settings through `ancestors` (nearest first) and `defaults`:
/// the values that apply, and where each comes from.
pub fn resolve(
    own: &Settings,
    ancestors: &[CustomerGroup],
    defaults: &Settings,
) -> (Settings, Vec<Provenance>) {
    let mut values = model::empty();
    let mut sources = Vec::with_capacity(SETTINGS.len());
    for name in SETTINGS {
        let source = if model::is_set(own, name) {
            model::copy(&mut values, own, name);
            Source::Own
        } else if let Some(ancestor) = ancestors.iter().find(|a| model::is_set(&a.settings, name)) {
            model::copy(&mut values, &ancestor.settings, name);
            Source::Inherited(ancestor.code.clone())
        } else if model::is_set(defaults, name) {
            model::copy(&mut values, defaults, name);
            Source::ArDefault
        } else {
            Source::Unset
        };
        sources.push(Provenance {
            field: (*name).to_owned(),
            source,
        });
    }
    (values, sources)
}

/// The effective settings of the stored group `code`.
pub fn effective(facts: &impl Facts, code: &str) -> Option<EffectiveSettings> {
    let group = facts.group(code)?;
    // A broken chain cannot be stored (the rules refuse it); should one
    // appear anyway, resolve through the part that exists.
    let ancestors = Tree::new(facts)
        .ancestors(&group.code, group.parent.as_deref())
        .unwrap_or_default();
    let (values, sources) = resolve(&group.settings, &ancestors, &facts.settings());
    Some(EffectiveSettings {
        code: group.code,
        ancestors: ancestors.into_iter().map(|a| a.code).collect(),
        values,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::testing::{facts, group};

    fn source_of(e: &EffectiveSettings, field: &str) -> Source {
        e.sources
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.source.clone())
            .expect("every setting has a source")
    }

    #[test]
    fn three_levels_with_provenance() {
        let mut facts = facts();
        let mut defaults = model::empty();
        defaults.price_code = Some("RETAIL".into());
        defaults.receivable_account = Some("1110".into());
        facts.defaults = Some(defaults);
        let mut top = group("TOP", "Top", Some("1100"));
        top.is_group = true;
        top.settings.currency = Some("IDR".into());
        let mut mid = group("MID", "Mid", None);
        mid.is_group = true;
        mid.parent = Some("TOP".into());
        mid.settings.currency = Some("USD".into());
        mid.settings.credit_limit = Some(5_000_000);
        let mut leaf = group("LEAF", "Leaf", None);
        leaf.parent = Some("MID".into());
        leaf.settings = model::empty();
        leaf.settings.credit_limit = Some(1_000);
        for g in [top, mid, leaf] {
            facts.groups.insert(g.code.clone(), g);
        }

        let e = effective(&facts, "LEAF").expect("exists");
        assert_eq!(e.ancestors, ["MID", "TOP"]);
        assert_eq!(e.values.credit_limit, Some(1_000));
        assert_eq!(source_of(&e, "credit-limit"), Source::Own);
        assert_eq!(e.values.currency.as_deref(), Some("USD"));
        assert_eq!(source_of(&e, "currency"), Source::Inherited("MID".into()));
        assert_eq!(e.values.receivable_account.as_deref(), Some("1100"));
        assert_eq!(
            source_of(&e, "receivable-account"),
            Source::Inherited("TOP".into())
        );
        assert_eq!(e.values.price_code.as_deref(), Some("RETAIL"));
        assert_eq!(source_of(&e, "price-code"), Source::ArDefault);
        assert_eq!(e.values.price_list, None);
        assert_eq!(source_of(&e, "price-list"), Source::Unset);
        assert_eq!(e.sources.len(), SETTINGS.len());
        assert!(effective(&facts, "NOPE").is_none());
    }
}
