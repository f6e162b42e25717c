//! The shapes of the form's tables: a rule table's column, a field, and
//! the constructors the field table is written with.

use crate::bindings::exports::erp::customer_group::form::{FieldKind, FieldRight};
use crate::i18n::Text;

use super::REFERENCE_MAX;

/// A column of a rule table.
pub(super) struct ColumnSpec {
    pub(super) name: &'static str,
    pub(super) label: Text,
    pub(super) kind: FieldKind,
    pub(super) required: bool,
    pub(super) lookup: Option<&'static str>,
}

pub(super) const fn col(
    name: &'static str,
    label: Text,
    kind: FieldKind,
    required: bool,
) -> ColumnSpec {
    ColumnSpec {
        name,
        label,
        kind,
        required,
        lookup: None,
    }
}

/// Where a choice field takes its options from.
#[derive(Clone, Copy)]
pub(super) enum Options {
    None,
    PeriodUnits,
    EasCodes,
}

/// One row of the field table.
pub(super) struct FieldSpec {
    pub(super) name: &'static str,
    pub(super) label: Text,
    pub(super) help: Text,
    pub(super) kind: FieldKind,
    pub(super) section: &'static str,
    pub(super) required: bool,
    pub(super) inheritable: bool,
    pub(super) read_only: bool,
    pub(super) immutable: bool,
    pub(super) max_length: Option<usize>,
    pub(super) lookup: Option<&'static str>,
    pub(super) quick_create: Option<&'static str>,
    pub(super) options: Options,
    pub(super) columns: &'static [ColumnSpec],
    /// The right a user needs to change the field.
    pub(super) needs: Option<FieldRight>,
    /// Whether the field may differ per company.
    pub(super) per_company: bool,
}

pub(super) const fn plain(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        help,
        kind,
        section,
        required: false,
        inheritable: false,
        read_only: false,
        immutable: false,
        max_length: None,
        lookup: None,
        quick_create: None,
        options: Options::None,
        columns: &[],
        needs: None,
        per_company: false,
    }
}

/// An inheritable setting.
pub(super) const fn setting(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        inheritable: true,
        ..plain(section, name, label, help, kind)
    }
}

/// An inheritable reference to the host's master data.
pub(super) const fn reference(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    lookup: &'static str,
) -> FieldSpec {
    FieldSpec {
        lookup: Some(lookup),
        max_length: Some(REFERENCE_MAX),
        ..setting(section, name, label, help, FieldKind::Reference)
    }
}

pub(super) const fn account(
    name: &'static str,
    label: Text,
    help: Text,
    required: bool,
) -> FieldSpec {
    FieldSpec {
        required,
        quick_create: Some("/form/account"),
        needs: Some(FieldRight::Accounting),
        per_company: true,
        ..reference("accounting", name, label, help, "account")
    }
}

pub(super) const fn choice(
    section: &'static str,
    name: &'static str,
    label: Text,
    help: Text,
    options: Options,
) -> FieldSpec {
    FieldSpec {
        options,
        ..setting(section, name, label, help, FieldKind::Choice)
    }
}

pub(super) const fn rules(
    name: &'static str,
    label: Text,
    help: Text,
    columns: &'static [ColumnSpec],
) -> FieldSpec {
    FieldSpec {
        columns,
        ..setting("rewards", name, label, help, FieldKind::Table)
    }
}

/// `spec`, changed only by a user holding `right`.
pub(super) const fn needing(right: FieldRight, spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        needs: Some(right),
        ..spec
    }
}

/// `spec`, kept per company (see `form.field.per-company`).
pub(super) const fn per_company(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        per_company: true,
        ..spec
    }
}

pub(super) const fn audit(
    name: &'static str,
    label: Text,
    help: Text,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        read_only: true,
        ..plain("audit", name, label, help, kind)
    }
}
