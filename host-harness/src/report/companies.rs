//! Which companies a report takes, and the one currency it shows them in
//! (issue 14, part 5): one company in its base currency, or several
//! consolidated in a chosen currency at the rates the user gives.

use crate::gl::GlError;
use crate::messages::{self as m, Locale};
use crate::store::{DEFAULT_COMPANY, Db, StoreError};
use crate::units::{minor_rate, to_base};

/// Which companies a report takes.
#[derive(Clone, Copy, Debug)]
pub enum Companies<'a> {
    /// One company (the default when none).
    One(Option<&'a str>),
    /// Every company, consolidated.
    All,
}

/// The companies a report takes and how each one's base amounts become the
/// report's currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consolidation {
    /// Each company, with the rate from its base currency's minor units to
    /// the report currency's (billionths, as `units::minor_rate` gives).
    pub companies: Vec<(String, u64)>,
    /// The currency the report shows.
    pub currency: String,
    /// Its decimals.
    pub decimals: u32,
}

/// One minor unit is one minor unit.
const SAME: u64 = 1_000_000_000;

impl Consolidation {
    /// The default company alone, in its base currency: what a report shows
    /// unless asked otherwise (and all a host with one company has).
    pub fn default_company(db: &Db) -> Result<Self, StoreError> {
        let base = db.gl_settings_of(DEFAULT_COMPANY)?.base_currency;
        let decimals = db.currency_decimals()?.get(&base).copied().unwrap_or(2);
        Ok(Self {
            companies: vec![(DEFAULT_COMPANY.to_owned(), SAME)],
            currency: base,
            decimals,
        })
    }

    /// `which` companies in `currency` (default: the base currency of the
    /// one company, or of the default company for all), each company whose
    /// base currency is another converted at `rates` (currency, billionths
    /// of `currency` per unit of it); an error naming the company and the
    /// rate it needs otherwise.
    pub fn of(
        db: &Db,
        which: Companies<'_>,
        currency: Option<&str>,
        rates: &[(String, u64)],
        lang: Locale,
    ) -> Result<Self, GlError> {
        let companies = match which {
            Companies::One(code) => vec![db.company_or_default(code)?],
            Companies::All => db.companies()?,
        };
        let decimals = db.currency_decimals()?;
        let currency = match currency {
            Some(code) => code.trim().to_ascii_uppercase(),
            None => match companies.first() {
                Some(c) if c.base_currency.is_empty() => {
                    return Err(GlError::Input(m::company_without_base(lang, &c.code)));
                }
                Some(c) => c.base_currency.clone(),
                None => String::new(),
            },
        };
        if !decimals.contains_key(&currency) {
            return Err(GlError::Input(m::unknown_currency(lang, &currency)));
        }
        let to = decimals.get(&currency).copied().unwrap_or(2);
        // Each rate once, and each one a company's base other than the
        // report's currency: a rate given twice, or that converts nothing,
        // is a mistake said, never silently ignored.
        for (i, (code, _)) in rates.iter().enumerate() {
            if rates[..i].iter().any(|(c, _)| c.eq_ignore_ascii_case(code)) {
                return Err(GlError::Input(m::rate_given_twice(lang, code)));
            }
            let used = !code.eq_ignore_ascii_case(&currency)
                && companies
                    .iter()
                    .any(|c| c.base_currency.eq_ignore_ascii_case(code));
            if !used {
                return Err(GlError::Input(m::rate_not_used(lang, code, &currency)));
            }
        }
        let mut out = Vec::with_capacity(companies.len());
        for company in companies {
            let base = &company.base_currency;
            if base.is_empty() {
                return Err(GlError::Input(m::company_without_base(lang, &company.code)));
            }
            let rate = if *base == currency {
                SAME
            } else {
                let per_unit = rates
                    .iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(base))
                    .map(|(_, rate)| *rate)
                    .ok_or_else(|| {
                        GlError::Input(m::consolidation_needs_rate(
                            lang,
                            &company.code,
                            base,
                            &currency,
                        ))
                    })?;
                let from = decimals.get(base).copied().unwrap_or(2);
                minor_rate(per_unit, from, to).ok_or_else(|| {
                    GlError::Input(m::consolidation_needs_rate(
                        lang,
                        &company.code,
                        base,
                        &currency,
                    ))
                })?
            };
            out.push((company.code, rate));
        }
        Ok(Self {
            companies: out,
            currency,
            decimals: to,
        })
    }

    /// The rate of `company`'s amounts, if the report takes it.
    pub(super) fn rate_of(&self, company: &str) -> Option<u64> {
        self.companies
            .iter()
            .find(|(c, _)| c == company)
            .map(|(_, rate)| *rate)
    }

    /// `amount` (base minor units of `company`) in the report's currency;
    /// none when the report does not take `company`. An amount too large to
    /// convert saturates.
    pub(super) fn convert(&self, company: &str, amount: i64) -> Option<i64> {
        let rate = self.rate_of(company)?;
        Some(to_base(amount, rate).unwrap_or(if amount < 0 { i64::MIN } else { i64::MAX }))
    }
}
