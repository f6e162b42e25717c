//! A plugin of any contract version the host serves, called through the
//! current contract's types: the version is found once, when the component
//! is linked, and every call adapts its arguments and results to and from
//! that version's bindings.

use wasmtime::AsContextMut;
use wasmtime::component::{Component, HasSelf, Linker};

use super::adapt::{Adapt, ContractViolation, Older, OlderHost};
use super::{
    ArTransactions, Change, CreditRequest, CreditVerdict, Customer, CustomerGroup, CustomerUpdate,
    DiscountOffer, EffectiveSettings, FormDefinition, Issue, Ledger, Postings, Settings, Verdict,
};
use super::{BatchIssue, Span, bindings as current, v0_4, v0_5, v0_6, v0_7};

/// A contract version the host serves, newest first in [`Version::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// The current contract, `wit/`.
    Current,
    /// The frozen 0.7.0 contract, `wit/since_v0.7.0/`.
    V0_7,
    /// The frozen 0.6.0 contract, `wit/since_v0.6.0/`.
    V0_6,
    /// The frozen 0.5.0 contract, `wit/since_v0.5.0/`.
    V0_5,
    /// The frozen 0.4.0 contract, `wit/since_v0.4.0/`.
    V0_4,
}

impl Version {
    /// Every version served, the current first.
    pub const ALL: [Version; 5] = [
        Version::Current,
        Version::V0_7,
        Version::V0_6,
        Version::V0_5,
        Version::V0_4,
    ];

    /// The version's number, from its package line.
    pub fn number(self) -> &'static str {
        match self {
            Version::Current => super::VERSION,
            Version::V0_7 => v0_7::VERSION,
            Version::V0_6 => v0_6::VERSION,
            Version::V0_5 => v0_5::VERSION,
            Version::V0_4 => v0_4::VERSION,
        }
    }

    /// The served version a component exporting `found` is built against:
    /// the one of the same major version (for 0.x, the same minor).
    pub fn serving(found: &str) -> Option<Version> {
        Self::ALL
            .into_iter()
            .find(|v| semver_compatible(found, v.number()))
    }
}

/// Semver compatibility as the component model uses it: the same major
/// version, or for 0.x the same minor version.
pub fn semver_compatible(a: &str, b: &str) -> bool {
    fn parts(v: &str) -> Option<(u64, u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut it = core.split('.').map(str::parse::<u64>);
        let parts = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
        it.next().is_none().then_some(parts)
    }
    match (parts(a), parts(b)) {
        (Some((0, minor_a, _)), Some((0, minor_b, _))) => minor_a == minor_b,
        (Some((major_a, ..)), Some((major_b, ..))) => major_a == major_b,
        _ => false,
    }
}

/// A component linked against one version's bindings, ready to instantiate.
pub(crate) enum PluginPre<T: 'static> {
    /// Built against the current contract.
    Current(current::PluginPre<T>),
    /// Built against 0.7.0.
    V0_7(v0_7::bindings::PluginPre<T>),
    /// Built against 0.6.0.
    V0_6(v0_6::bindings::PluginPre<T>),
    /// Built against 0.5.0.
    V0_5(v0_5::bindings::PluginPre<T>),
    /// Built against 0.4.0.
    V0_4(v0_4::bindings::PluginPre<T>),
}

impl<T> PluginPre<T>
where
    T: current::erp::customer_group::host::Host + current::erp::customer_group::types::Host,
    T: Send + 'static,
{
    /// Links `component`, built against `version`, with the host imports of
    /// that version (answered by `T`'s current implementation) added to
    /// `linker`.
    pub(crate) fn link(
        linker: &mut Linker<T>,
        component: &Component,
        version: Version,
    ) -> wasmtime::Result<Self> {
        Ok(match version {
            Version::Current => {
                current::Plugin::add_to_linker::<_, HasSelf<_>>(linker, |state| state)?;
                Self::Current(current::PluginPre::new(linker.instantiate_pre(component)?)?)
            }
            Version::V0_7 => {
                v0_7::bindings::Plugin::add_to_linker::<_, OlderHost<T>>(linker, |state| {
                    Older(state)
                })?;
                Self::V0_7(v0_7::bindings::PluginPre::new(
                    linker.instantiate_pre(component)?,
                )?)
            }
            Version::V0_6 => {
                v0_6::bindings::Plugin::add_to_linker::<_, OlderHost<T>>(linker, |state| {
                    Older(state)
                })?;
                Self::V0_6(v0_6::bindings::PluginPre::new(
                    linker.instantiate_pre(component)?,
                )?)
            }
            Version::V0_5 => {
                v0_5::bindings::Plugin::add_to_linker::<_, OlderHost<T>>(linker, |state| {
                    Older(state)
                })?;
                Self::V0_5(v0_5::bindings::PluginPre::new(
                    linker.instantiate_pre(component)?,
                )?)
            }
            Version::V0_4 => {
                v0_4::bindings::Plugin::add_to_linker::<_, OlderHost<T>>(linker, |state| {
                    Older(state)
                })?;
                Self::V0_4(v0_4::bindings::PluginPre::new(
                    linker.instantiate_pre(component)?,
                )?)
            }
        })
    }

    /// A fresh instance in `store`.
    pub(crate) fn instantiate(
        &self,
        store: impl AsContextMut<Data = T>,
    ) -> wasmtime::Result<Plugin> {
        Ok(match self {
            Self::Current(pre) => Plugin::Current(pre.instantiate(store)?),
            Self::V0_7(pre) => Plugin::V0_7(pre.instantiate(store)?),
            Self::V0_6(pre) => Plugin::V0_6(pre.instantiate(store)?),
            Self::V0_5(pre) => Plugin::V0_5(pre.instantiate(store)?),
            Self::V0_4(pre) => Plugin::V0_4(pre.instantiate(store)?),
        })
    }
}

/// An instance of a plugin, of whichever version; each method is the
/// export of the same name in the current contract.
pub(crate) enum Plugin {
    /// Built against the current contract.
    Current(current::Plugin),
    /// Built against 0.7.0.
    V0_7(v0_7::bindings::Plugin),
    /// Built against 0.6.0.
    V0_6(v0_6::bindings::Plugin),
    /// Built against 0.5.0.
    V0_5(v0_5::bindings::Plugin),
    /// Built against 0.4.0.
    V0_4(v0_4::bindings::Plugin),
}

/// The same export called on a plugin of any version: `$current` on the
/// current bindings, `$older` (the same call, its arguments and results
/// adapted) on every earlier version's, or `$v0_4` on 0.4.0's when given.
macro_rules! each {
    ($self:expr, |$p:ident| $current:expr, older: $older:expr) => {
        each!($self, |$p| $current, older: $older, v0_4: $older)
    };
    // 0.4.0 answered differently (it lacks an export, or its types need
    // more than adapting).
    ($self:expr, |$p:ident| $current:expr, older: $older:expr, v0_4: $v0_4:expr) => {
        match $self {
            Plugin::Current($p) => $current,
            Plugin::V0_7($p) => $older,
            Plugin::V0_6($p) => $older,
            Plugin::V0_5($p) => $older,
            Plugin::V0_4($p) => $v0_4,
        }
    };
}

/// What a call returns, or the trap that ended it.
type Call<R> = wasmtime::Result<R>;

/// The span from `start` to `end`, if it fits the contract's `u32`s.
fn span(start: usize, end: usize) -> Call<Span> {
    let at = |n: usize| u32::try_from(n).map_err(|_| wasmtime::format_err!("{n} bytes of codes"));
    Ok(Span {
        start: at(start)?,
        len: at(end - start)?,
    })
}

impl Plugin {
    /// `form.definition`.
    pub(crate) fn definition<S>(&self, store: S, locale: &str) -> Call<FormDefinition>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p.erp_customer_group_form().call_definition(store, locale),
            older: p
                .erp_customer_group_form()
                .call_definition(store, locale)
                .map(Adapt::adapt))
    }

    /// `validation.validate`.
    pub(crate) fn validate<S>(&self, store: S, change: &Change, locale: &str) -> Call<Verdict>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_validation()
                .call_validate(store, change, locale),
            older: p
                .erp_customer_group_validation()
                .call_validate(store, &change.clone().adapt(), locale)
                .map(Adapt::adapt))
    }

    /// `validation.validate-many`.
    pub(crate) fn validate_many<S>(
        &self,
        store: S,
        changes: &[Change],
        locale: &str,
    ) -> Call<Vec<Verdict>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_validation()
                .call_validate_many(store, changes, locale),
            older: p
                .erp_customer_group_validation()
                .call_validate_many(store, &changes.to_vec().adapt(), locale)
                .map(Adapt::adapt))
    }

    /// `validation.validate-defaults`.
    pub(crate) fn validate_defaults<S>(
        &self,
        store: S,
        defaults: &Settings,
        locale: &str,
    ) -> Call<(Option<Settings>, Vec<Issue>)>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_validation()
                .call_validate_defaults(store, defaults, locale),
            older: p
                .erp_customer_group_validation()
                .call_validate_defaults(store, &defaults.clone().adapt(), locale)
                .map(Adapt::adapt))
    }

    /// `validation.validate-company-settings`; `None` for a plugin built
    /// before 0.8.0, which lacks it (and keeps nothing per company).
    pub(crate) fn validate_company_settings<S>(
        &self,
        store: S,
        company: &str,
        settings: &Settings,
        locale: &str,
    ) -> Call<Option<(Option<Settings>, Vec<Issue>)>>
    where
        S: AsContextMut<Data: Send>,
    {
        match self {
            Self::Current(p) => p
                .erp_customer_group_validation()
                .call_validate_company_settings(store, company, settings, locale)
                .map(Some),
            Self::V0_7(_) | Self::V0_6(_) | Self::V0_5(_) | Self::V0_4(_) => Ok(None),
        }
    }

    /// `validation.normalize-codes`: each of `codes` normalised, packed as
    /// the contract packs them, every span of the answer checked; for
    /// 0.4.0, which lacks it, the rule 0.4.0 documents.
    pub(crate) fn normalize_codes<S>(&self, store: S, codes: &[&str]) -> Call<Vec<String>>
    where
        S: AsContextMut<Data: Send>,
    {
        let mut text = String::with_capacity(codes.iter().map(|c| c.len()).sum());
        let mut spans = Vec::with_capacity(codes.len());
        for code in codes {
            let start = text.len();
            text.push_str(code);
            spans.push(span(start, text.len())?);
        }
        let (out, keys) = each!(self, |p| p
            .erp_customer_group_validation()
            .call_normalize_codes(store, &text, &spans)?,
        older: {
            let (out, keys) = p.erp_customer_group_validation().call_normalize_codes(
                store,
                &text,
                &spans.adapt(),
            )?;
            (out, keys.adapt())
        },
        v0_4: {
            let _ = p;
            return Ok(codes.iter().map(|c| v0_4::normalize_code(c)).collect());
        });
        let unsound = |value: String| ContractViolation {
            package: super::PACKAGE,
            version: super::VERSION,
            what: "normalize-codes",
            value,
        };
        if keys.len() != codes.len() {
            let value = format!("{} codes for {}", keys.len(), codes.len());
            return Err(unsound(value).into());
        }
        keys.iter()
            .map(|key| {
                let start = usize::try_from(key.start).ok();
                let len = usize::try_from(key.len).ok();
                start
                    .zip(len)
                    .and_then(|(start, len)| out.get(start..start.checked_add(len)?))
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        let value =
                            format!("a span {}+{} of {} bytes", key.start, key.len, out.len());
                        unsound(value).into()
                    })
            })
            .collect()
    }

    /// `inheritance.effective`.
    pub(crate) fn effective<S>(&self, store: S, code: &str) -> Call<Option<EffectiveSettings>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_inheritance()
                .call_effective(store, code),
            older: p
                .erp_customer_group_inheritance()
                .call_effective(store, code)
                .map(Adapt::adapt))
    }

    /// `lifecycle.default-gl-accounts`.
    pub(crate) fn default_gl_accounts<S>(
        &self,
        store: S,
        code: &str,
        locale: &str,
    ) -> Call<Result<CustomerGroup, Vec<Issue>>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_lifecycle()
                .call_default_gl_accounts(store, code, locale),
            older: p
                .erp_customer_group_lifecycle()
                .call_default_gl_accounts(store, code, locale)
                .map(Adapt::adapt))
    }

    /// `lifecycle.plan-default-terms`.
    pub(crate) fn plan_default_terms<S>(
        &self,
        store: S,
        code: &str,
        locale: &str,
    ) -> Call<Result<Vec<CustomerUpdate>, Vec<Issue>>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_lifecycle()
                .call_plan_default_terms(store, code, locale),
            older: p
                .erp_customer_group_lifecycle()
                .call_plan_default_terms(store, code, locale)
                .map(Adapt::adapt))
    }

    /// `lifecycle.check-reassign`.
    pub(crate) fn check_reassign<S>(
        &self,
        store: S,
        from: &str,
        to: &str,
        locale: &str,
    ) -> Call<Vec<Issue>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_lifecycle()
                .call_check_reassign(store, from, to, locale),
            older: p
                .erp_customer_group_lifecycle()
                .call_check_reassign(store, from, to, locale)
                .map(Adapt::adapt))
    }

    /// `lifecycle.check-customer`.
    pub(crate) fn check_customer<S>(
        &self,
        store: S,
        customer: &Customer,
        is_new: bool,
        locale: &str,
    ) -> Call<Vec<Issue>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_lifecycle()
                .call_check_customer(store, customer, is_new, locale),
            older: p
                .erp_customer_group_lifecycle()
                .call_check_customer(store, &customer.clone().adapt(), is_new, locale)
                .map(Adapt::adapt))
    }

    /// `gl.build-batch`.
    pub(crate) fn build_batch<S>(
        &self,
        store: S,
        ledger: &Ledger,
        transactions: &ArTransactions,
        locale: &str,
    ) -> Call<Result<Postings, Vec<BatchIssue>>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
            .erp_customer_group_gl()
            .call_build_batch(store, ledger, transactions, locale),
        older: p
            .erp_customer_group_gl()
            .call_build_batch(
                store,
                &ledger.clone().adapt(),
                &transactions.clone().adapt(),
                locale,
            )
            .map(Adapt::adapt),
        v0_4: {
            let ledger: v0_5::Ledger = ledger.clone().adapt();
            let transactions: v0_5::ArTransactions = transactions.clone().adapt();
            p.erp_customer_group_gl()
                .call_build_batch(
                    store,
                    &ledger.clone().adapt(),
                    &v0_4::ar_transactions(&ledger, &transactions),
                    locale,
                )
                .map(Adapt::adapt)
        })
    }

    /// `gl.credit-check`.
    pub(crate) fn credit_check<S>(
        &self,
        store: S,
        request: &CreditRequest,
        locale: &str,
    ) -> Call<CreditVerdict>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
                .erp_customer_group_gl()
                .call_credit_check(store, request, locale),
            older: p
                .erp_customer_group_gl()
                .call_credit_check(store, &request.clone().adapt(), locale)
                .map(Adapt::adapt))
    }

    /// `gl.credit-check-many`; for 0.5.0 and 0.4.0, which lack it,
    /// `credit-check` of each request in turn on the same instance.
    pub(crate) fn credit_check_many<S>(
        &self,
        mut store: S,
        requests: &[CreditRequest],
        locale: &str,
    ) -> Call<Vec<CreditVerdict>>
    where
        S: AsContextMut<Data: Send>,
    {
        match self {
            Self::Current(p) => {
                return p
                    .erp_customer_group_gl()
                    .call_credit_check_many(store, requests, locale);
            }
            Self::V0_7(p) => {
                return p
                    .erp_customer_group_gl()
                    .call_credit_check_many(store, &requests.to_vec().adapt(), locale)
                    .map(Adapt::adapt);
            }
            Self::V0_6(p) => {
                return p
                    .erp_customer_group_gl()
                    .call_credit_check_many(store, &requests.to_vec().adapt(), locale)
                    .map(Adapt::adapt);
            }
            Self::V0_5(_) | Self::V0_4(_) => {}
        }
        requests
            .iter()
            .map(|r| self.credit_check(&mut store, r, locale))
            .collect()
    }

    /// `gl.receipt-discount`: paying `amount` of an invoice of
    /// `invoice_date` for a customer of `group` on `paid_on`.
    pub(crate) fn receipt_discount<S>(
        &self,
        store: S,
        group: &str,
        invoice_date: &str,
        amount: i64,
        paid_on: &str,
        locale: &str,
    ) -> Call<Result<Option<DiscountOffer>, Vec<BatchIssue>>>
    where
        S: AsContextMut<Data: Send>,
    {
        each!(self, |p| p
            .erp_customer_group_gl()
            .call_receipt_discount(store, group, invoice_date, amount, paid_on, locale),
        older: p
            .erp_customer_group_gl()
            .call_receipt_discount(store, group, invoice_date, amount, paid_on, locale)
            .map(Adapt::adapt),
        v0_4: {
            let answer = p.erp_customer_group_gl().call_receipt_discount(
                store,
                group,
                invoice_date,
                amount,
                paid_on,
                locale,
            )?;
            Ok(match answer {
                Ok(offer) => Ok(offer
                    .map(|o| v0_4::discount_offer(o).map(Adapt::adapt))
                    .transpose()?),
                Err(issues) => Err(issues.adapt()),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_compatibility() {
        for (a, b, ok) in [
            ("0.1.0", "0.1.0", true),
            ("0.1.7", "0.1.0", true),
            ("0.2.0", "0.1.0", false),
            ("1.4.0", "1.0.2", true),
            ("2.0.0", "1.0.0", false),
            ("", "0.1.0", false),
            ("0.1", "0.1.0", false),
            ("0.1.0-rc1", "0.1.0", true),
        ] {
            assert_eq!(semver_compatible(a, b), ok, "{a} vs {b}");
        }
    }

    #[test]
    fn each_version_is_served_by_its_own_binding() {
        assert_eq!(
            Version::serving(super::super::VERSION),
            Some(Version::Current)
        );
        assert_eq!(Version::serving("0.7.0"), Some(Version::V0_7));
        assert_eq!(Version::serving("0.6.0"), Some(Version::V0_6));
        assert_eq!(Version::serving("0.5.0"), Some(Version::V0_5));
        assert_eq!(Version::serving("0.4.0"), Some(Version::V0_4));
        assert_eq!(Version::serving("0.4.9"), Some(Version::V0_4));
        assert_eq!(Version::serving("0.3.0"), None);
        assert_eq!(Version::serving(""), None);
    }
}
