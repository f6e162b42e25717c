//! The host's operations on customer groups: every write is validated by the
//! plugin first and then saved in one transaction. A rejected change writes
//! nothing and comes back with every issue the plugin found.

use std::sync::Arc;

use sha2::{Digest, Sha256};

pub use crate::actor::Actor;
use crate::engine::{PluginError, PluginRuntime};
use crate::gl::Gl;
use crate::messages::{self, Locale, Localize};
use crate::rights;
use crate::store::{Company, Db, GroupRecord, Held, InstalledPlugin, MenuItem, Scope, StoreError};
use crate::wit::{
    Change, Customer, CustomerGroup, CustomerUpdate, EffectiveSettings, FormDefinition, Issue,
    Settings, Severity, Update, Verdict,
};

/// Why an operation did not happen. The texts are the host's message
/// catalogue's ([`crate::messages`]): `Display` is the English, and
/// [`crate::messages::Localize`] gives every locale.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The plugin could not be loaded or failed during the call.
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// The installed component no longer matches the digest recorded at install.
    #[error("{}", messages::digest_mismatch(Locale::En, .found, .recorded))]
    DigestMismatch {
        /// The digest recorded at install.
        recorded: String,
        /// The digest of the bytes found.
        found: String,
    },
    /// The component's digest is not the one the caller pinned.
    #[error("{}", messages::not_pinned(Locale::En, .found, .pinned))]
    NotPinned {
        /// The digest the caller expects.
        pinned: String,
        /// The digest of the file.
        found: String,
    },
    /// The plugin rejected the change.
    #[error("{}", messages::rejected(Locale::En, .0))]
    Rejected(Vec<Issue>),
    /// There is no such group.
    #[error("{}", messages::no_such_group(Locale::En, .0))]
    NoSuchGroup(String),
    /// Settings "for" the default company: they are the group's own.
    #[error("{}", messages::default_company_settings(Locale::En, .0))]
    DefaultCompany(String),
    /// The installed plugin's contract keeps nothing per company.
    #[error("{}", messages::no_company_settings(Locale::En, .0))]
    NoCompanySettings(&'static str),
}

/// A saved group and the warnings the plugin gave.
#[derive(Debug)]
pub struct Saved {
    /// The group as stored now.
    pub record: GroupRecord,
    /// Warnings (never errors: a change with errors is not saved).
    pub warnings: Vec<Issue>,
}

/// The sha256 of a component, as lower-case hex.
pub fn digest(component: &[u8]) -> String {
    hex::encode(Sha256::digest(component))
}

/// Verifies a component and installs it: the store records its bytes and
/// digest, and the menu entry its form definition asks for.
pub fn install_plugin(
    db: &Db,
    component: &[u8],
    pinned: Option<&str>,
    user: &str,
) -> Result<InstalledPlugin, AdminError> {
    let found = digest(component);
    if let Some(pinned) = pinned
        && !pinned.eq_ignore_ascii_case(&found)
    {
        return Err(AdminError::NotPinned {
            pinned: pinned.to_owned(),
            found,
        });
    }
    let runtime =
        PluginRuntime::load_cached(component, db.plugin_limits()?, db.compile_cache().as_ref())?;
    // The canonical (English) form decides the menu entry.
    let form = runtime.form(db.facts(), "en")?;
    let menu = MenuItem {
        path: form.menu.path.clone(),
        route: form.menu.route.clone(),
        plugin: Some(form.id.clone()),
    };
    Ok(db.install_plugin(
        &form.id,
        component,
        &found,
        runtime.wit_version(),
        &menu,
        user,
    )?)
}

/// The host with its installed plugin loaded.
pub struct Admin {
    db: Db,
    plugin: PluginRuntime,
    /// The digest of the component loaded.
    sha256: String,
    /// The form definition in each locale asked for so far: the
    /// contract's `definition` depends on the locale alone, so it is asked
    /// once per locale for the life of the loaded plugin.
    forms: std::sync::Mutex<Vec<(String, Arc<FormDefinition>)>>,
    /// The host's menu as the store had it when the plugin was loaded: it
    /// changes only when a plugin is installed, which loads a new one.
    menu: std::sync::Mutex<Option<Arc<[MenuItem]>>>,
}

impl Admin {
    /// Loads the plugin installed in `db`, checking it against its recorded
    /// digest, under the limits the store sets, precompiled when the cache
    /// beside the database holds it.
    pub fn open(db: Db) -> Result<Self, AdminError> {
        let limits = db.plugin_limits()?;
        let (component, recorded) = db.plugin_component()?;
        let found = digest(&component);
        if found != recorded {
            return Err(AdminError::DigestMismatch { recorded, found });
        }
        let plugin = PluginRuntime::load_cached(&component, limits, db.compile_cache().as_ref())?;
        Ok(Self {
            db,
            plugin,
            sha256: found,
            forms: std::sync::Mutex::default(),
            menu: std::sync::Mutex::default(),
        })
    }

    /// Whether the loaded plugin is still the one the store has installed,
    /// under the limits the store sets; a long-running process reopens when
    /// not (another process may have reinstalled it or changed the limits).
    pub fn is_current(&self) -> Result<bool, AdminError> {
        let installed = self.db.installed_sha256()?;
        Ok(installed.is_some_and(|sha256| sha256 == self.sha256)
            && self.db.plugin_limits()? == self.plugin.limits())
    }

    /// The store.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The loaded plugin.
    pub fn plugin(&self) -> &PluginRuntime {
        &self.plugin
    }

    /// The ledger's services (entry, batches, posting) over this store and
    /// plugin.
    pub fn gl(&self) -> Gl<'_> {
        Gl::new(&self.db, &self.plugin)
    }

    /// The form definition in `locale`.
    pub fn form(&self, locale: &str) -> Result<FormDefinition, AdminError> {
        Ok(FormDefinition::clone(&*self.shared_form(locale)?))
    }

    /// The form definition in `locale`, shared: asked of the plugin the
    /// first time only.
    pub fn shared_form(&self, locale: &str) -> Result<Arc<FormDefinition>, AdminError> {
        let cached = |forms: &[(String, Arc<FormDefinition>)]| {
            forms
                .iter()
                .find(|(l, _)| l == locale)
                .map(|(_, f)| f.clone())
        };
        let lock = || {
            self.forms
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(form) = cached(&lock()) {
            return Ok(form);
        }
        let form = Arc::new(self.plugin.form(self.db.facts(), locale)?);
        let mut forms = lock();
        if let Some(raced) = cached(&forms) {
            return Ok(raced);
        }
        // Locales are few; a caller passing arbitrary ones is not cached past a few.
        if forms.len() < 16 {
            forms.push((locale.to_owned(), form.clone()));
        }
        Ok(form)
    }

    /// The host's menu (its own entries and the plugins'), read from the
    /// store the first time only.
    pub fn menu(&self) -> Result<Arc<[MenuItem]>, AdminError> {
        let mut menu = self
            .menu
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(menu) = &*menu {
            return Ok(menu.clone());
        }
        let read: Arc<[MenuItem]> = self.db.menu()?.into();
        *menu = Some(read.clone());
        Ok(read)
    }

    /// Asks the plugin about a change without saving anything.
    pub fn check(&self, change: &Change, locale: &str) -> Result<Verdict, AdminError> {
        Ok(self.plugin.validate(self.db.facts(), change, locale)?)
    }

    /// Creates a group.
    pub fn create_group(&self, group: CustomerGroup, actor: &Actor) -> Result<Saved, AdminError> {
        let (group, warnings) = self.accept(Change::Create(group), None, actor)?;
        let record = self.db.write(|w| w.create_group(&group, actor.by()))?;
        Ok(Saved { record, warnings })
    }

    /// Edits a group: `edit` changes a copy of the stored values, the plugin
    /// validates the result, and it is saved if nobody else saved the group
    /// meanwhile.
    pub fn update_group(
        &self,
        code: &str,
        edit: impl FnOnce(&mut CustomerGroup),
        actor: &Actor,
    ) -> Result<Saved, AdminError> {
        self.update_group_at(code, None, edit, actor)
    }

    /// Like [`Admin::update_group`], but refused unless the stored group is at
    /// `version` (when given): the version the user's edit is based on.
    pub fn update_group_at(
        &self,
        code: &str,
        version: Option<i64>,
        edit: impl FnOnce(&mut CustomerGroup),
        actor: &Actor,
    ) -> Result<Saved, AdminError> {
        let stored = self.stored(code)?;
        if let Some(expected) = version
            && expected != stored.version
        {
            return Err(AdminError::Store(StoreError::Stale {
                code: stored.group.code,
                expected,
                found: stored.version,
            }));
        }
        let mut proposed = stored.group.clone();
        edit(&mut proposed);
        self.save_update(&stored, proposed, actor)
    }

    /// Deletes a group, if the plugin allows it.
    pub fn delete_group(&self, code: &str, actor: &Actor) -> Result<GroupRecord, AdminError> {
        let stored = self.stored(code)?;
        let verdict = self.check(&Change::Delete(stored.group.code.clone()), &actor.locale)?;
        refuse_errors(verdict.issues)?;
        self.db
            .write(|w| w.delete_group(&stored.group.code, stored.version, actor.by()))?;
        Ok(stored)
    }

    /// Replaces the AR settings, if the plugin accepts them; its warnings.
    pub fn set_ar_settings(
        &self,
        defaults: Settings,
        actor: &Actor,
    ) -> Result<Vec<Issue>, AdminError> {
        let (normalized, mut issues) =
            self.plugin
                .validate_defaults(self.db.facts(), &defaults, &actor.locale)?;
        let held = self.db.held(&actor.user)?;
        if held != Held::NoUser {
            let form = self.shared_form(&actor.locale)?;
            let old = self.db.ar_settings()?;
            let new = normalized.as_ref().unwrap_or(&defaults);
            issues.extend(rights::refused_settings(&form, &held, &old, new));
        }
        match normalized {
            Some(defaults) if !has_errors(&issues) => {
                self.db
                    .write(|w| w.set_ar_settings(&defaults, actor.by()))?;
                Ok(issues)
            }
            _ => Err(AdminError::Rejected(issues)),
        }
    }

    /// The settings that apply to a group, each with where it comes from.
    pub fn effective(&self, code: &str) -> Result<EffectiveSettings, AdminError> {
        let stored = self.stored(code)?;
        self.plugin
            .effective(self.db.facts(), &stored.group.code)?
            .ok_or_else(|| AdminError::NoSuchGroup(code.to_owned()))
    }

    /// "Default GL Accounts": sets the group's accounts from the AR settings
    /// defaults (a blank default overwrites nothing), validated and saved like
    /// any edit.
    pub fn default_gl_accounts(&self, code: &str, actor: &Actor) -> Result<Saved, AdminError> {
        let stored = self.stored(code)?;
        let proposed = self
            .plugin
            .default_gl_accounts(self.db.facts(), &stored.group.code, &actor.locale)?
            .map_err(AdminError::Rejected)?;
        self.save_update(&stored, proposed, actor)
    }

    /// "Apply Default Terms", preview: which customers would change, and how.
    pub fn plan_default_terms(
        &self,
        code: &str,
        actor: &Actor,
    ) -> Result<Vec<CustomerUpdate>, AdminError> {
        let stored = self.stored(code)?;
        self.plugin
            .plan_default_terms(self.db.facts(), &stored.group.code, &actor.locale)?
            .map_err(AdminError::Rejected)
    }

    /// "Apply Default Terms": applies the plan in one transaction. Refused if
    /// a customer changed since `plan` was made; returns what was applied.
    pub fn apply_default_terms(
        &self,
        plan: Vec<CustomerUpdate>,
    ) -> Result<Vec<CustomerUpdate>, AdminError> {
        let pairs: Vec<(Customer, Customer)> = plan
            .iter()
            .map(|u| (u.before.clone(), u.after.clone()))
            .collect();
        self.db.update_customer_terms(&pairs)?;
        Ok(plan)
    }

    /// "Reassign": moves every customer of `from` to `to`, in one transaction,
    /// if the plugin allows; how many moved, and the plugin's warnings.
    pub fn reassign(
        &self,
        from: &str,
        to: &str,
        actor: &Actor,
    ) -> Result<(usize, Vec<Issue>), AdminError> {
        let from = self.stored(from)?.group.code;
        let to = self.stored(to)?.group.code;
        let issues = self
            .plugin
            .check_reassign(self.db.facts(), &from, &to, &actor.locale)?;
        let issues = refuse_errors(issues)?;
        let moved = self
            .db
            .write(|w| w.reassign_customers(&from, &to, actor.by()))?;
        Ok((moved, issues))
    }

    /// Adds a customer to a group, if the plugin allows (leaf group, active,
    /// same currency); the plugin's warnings.
    pub fn create_customer(
        &self,
        mut customer: Customer,
        actor: &Actor,
    ) -> Result<Vec<Issue>, AdminError> {
        customer.group = self.stored(&customer.group)?.group.code;
        let issues = self
            .plugin
            .check_customer(self.db.facts(), &customer, true, &actor.locale)?;
        let issues = refuse_errors(issues)?;
        self.db
            .write(|w| w.create_customer(&customer, actor.by()))?;
        Ok(issues)
    }

    /// The stored group a user means by `code` (see [`Db::find_group`]).
    fn stored(&self, code: &str) -> Result<GroupRecord, AdminError> {
        self.db
            .find_group(code)?
            .ok_or_else(|| AdminError::NoSuchGroup(code.to_owned()))
    }

    /// Validates `proposed` as an update of `stored` and saves it, if nobody
    /// saved the group since `stored` was read.
    fn save_update(
        &self,
        stored: &GroupRecord,
        proposed: CustomerGroup,
        actor: &Actor,
    ) -> Result<Saved, AdminError> {
        let change = Change::Update(Update {
            code: stored.group.code.clone(),
            proposed,
        });
        let (group, warnings) = self.accept(change, Some(&stored.group), actor)?;
        let record = self
            .db
            .write(|w| w.update_group(&group, stored.version, actor.by()))?;
        Ok(Saved { record, warnings })
    }

    /// Validates a create or update of `old` (none: a create) by `actor`:
    /// the plugin's rules, and the rights its form marks fields with; the
    /// normalised record and its warnings, or every problem found.
    fn accept(
        &self,
        change: Change,
        old: Option<&CustomerGroup>,
        actor: &Actor,
    ) -> Result<(CustomerGroup, Vec<Issue>), AdminError> {
        let verdict = self.check(&change, &actor.locale)?;
        let mut issues = verdict.issues;
        let proposed = match &change {
            Change::Create(group) => Some(group),
            Change::Update(update) => Some(&update.proposed),
            Change::Delete(_) => None,
        };
        if let Some(new) = verdict.normalized.as_ref().or(proposed) {
            issues.extend(self.refused_fields(&actor.user, &actor.locale, old, new)?);
        }
        match verdict.normalized {
            Some(group) if !has_errors(&issues) => Ok((group, issues)),
            _ => Err(AdminError::Rejected(issues)),
        }
    }

    /// An error at each field `new` changes from `old` (none: a group
    /// created) whose right `user` does not hold ([`rights::refused`]), in
    /// `locale`: what the admin services refuse before a write, and the
    /// daemon before it applies a file.
    pub fn refused_fields(
        &self,
        user: &str,
        locale: &str,
        old: Option<&CustomerGroup>,
        new: &CustomerGroup,
    ) -> Result<Vec<Issue>, AdminError> {
        let held = self.db.held(user)?;
        if held == Held::NoUser {
            return Ok(Vec::new());
        }
        let form = self.shared_form(locale)?;
        Ok(rights::refused(&form, &held, old, new))
    }
}

/// The issues back when none is an error; a refusal carrying them all otherwise.
fn refuse_errors(issues: Vec<Issue>) -> Result<Vec<Issue>, AdminError> {
    if has_errors(&issues) {
        Err(AdminError::Rejected(issues))
    } else {
        Ok(issues)
    }
}

fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}

/// Companies (issue 14, part 5): each with its AR settings, and what a
/// group sets for it; every write validated by the plugin with the
/// company's facts.
impl Admin {
    /// Whose facts the plugin is given for `company` (the default when
    /// none); an error naming the code when there is no such company.
    pub fn scope(&self, company: Option<&str>) -> Result<Scope, AdminError> {
        let company = self.db.company_or_default(company)?;
        if company.is_default {
            return Ok(Scope::default_company());
        }
        let form = self.shared_form("en")?;
        Ok(Scope {
            company: company.code,
            per_company: Some(crate::fields::per_company(&form)),
        })
    }

    /// Adds a customer of `company` (the default when none), checked by
    /// the plugin with that company's facts; in one transaction.
    pub fn create_customer_in(
        &self,
        company: Option<&str>,
        mut customer: Customer,
        actor: &Actor,
    ) -> Result<Vec<Issue>, AdminError> {
        let scope = self.scope(company)?;
        customer.group = self.stored(&customer.group)?.group.code;
        let issues =
            self.plugin
                .check_customer(scope.facts(&self.db), &customer, true, &actor.locale)?;
        let issues = refuse_errors(issues)?;
        self.db.write(|w| {
            w.create_customer(&customer, actor.by())?;
            w.set_customer_company(&customer.code, &scope.company)
        })?;
        Ok(issues)
    }

    /// Adds a company (its ledger and AR settings blank, its chart empty).
    pub fn create_company(
        &self,
        code: &str,
        name: &str,
        actor: &Actor,
    ) -> Result<Company, AdminError> {
        Ok(self
            .db
            .write(|w| w.create_company(code, name, actor.by()))?)
    }

    /// Replaces the AR settings of `company` (the default when none),
    /// validated by the plugin with that company's facts (its chart of
    /// accounts); refused as stale unless they are still what `read` saw
    /// (when given: [`crate::store::settings_read`] of the settings the
    /// edit is based on). The warnings.
    pub fn set_ar_settings_of(
        &self,
        company: Option<&str>,
        defaults: Settings,
        read: Option<&str>,
        actor: &Actor,
    ) -> Result<Vec<Issue>, AdminError> {
        let scope = self.scope(company)?;
        let (normalized, mut issues) =
            self.plugin
                .validate_defaults(scope.facts(&self.db), &defaults, &actor.locale)?;
        let held = self.db.held(&actor.user)?;
        if held != Held::NoUser {
            let form = self.shared_form(&actor.locale)?;
            let old = self.db.ar_settings_of(&scope.company)?;
            let new = normalized.as_ref().unwrap_or(&defaults);
            issues.extend(rights::refused_settings(&form, &held, &old, new));
        }
        match normalized {
            Some(defaults) if !has_errors(&issues) => {
                self.db
                    .write(|w| w.set_ar_settings_of(&scope.company, &defaults, read, actor.by()))?;
                Ok(issues)
            }
            _ => Err(AdminError::Rejected(issues)),
        }
    }

    /// Changes what group `code` sets for `company` (a company other than
    /// the default) by `edit`, which gets the group's present settings
    /// for the company (blank where it sets nothing); validated by the
    /// plugin with the company's facts, each changed field checked against
    /// the user's rights, stored and recorded in the group's history in
    /// one transaction; refused as stale unless the group is at `version`
    /// (when given: the version the user's edit is based on). The
    /// settings as stored, and the warnings.
    pub fn update_group_company_settings(
        &self,
        code: &str,
        company: &str,
        version: Option<i64>,
        edit: impl FnOnce(&mut Settings),
        actor: &Actor,
    ) -> Result<(Settings, Vec<Issue>), AdminError> {
        let stored = self.stored(code)?;
        let group = stored.group;
        let scope = self.scope(Some(company))?;
        if scope.per_company.is_none() {
            return Err(AdminError::DefaultCompany(scope.company));
        }
        let old = self
            .db
            .group_company_settings(&group.code)?
            .into_iter()
            .find(|(c, _)| *c == scope.company)
            .map(|(_, s)| s);
        let blank = Settings::inherit_all();
        let mut proposed = old.clone().unwrap_or_else(|| blank.clone());
        edit(&mut proposed);
        let Some((normalized, mut issues)) = self.plugin.validate_company_settings(
            scope.facts(&self.db),
            &scope.company,
            &proposed,
            &actor.locale,
        )?
        else {
            return Err(AdminError::NoCompanySettings(
                self.plugin.served_as().number(),
            ));
        };
        let held = self.db.held(&actor.user)?;
        if held != Held::NoUser {
            let form = self.shared_form(&actor.locale)?;
            let new = normalized.as_ref().unwrap_or(&proposed);
            issues.extend(rights::refused_settings(
                &form,
                &held,
                old.as_ref().unwrap_or(&blank),
                new,
            ));
        }
        match normalized {
            Some(settings) if !has_errors(&issues) => {
                self.db.write(|w| {
                    if let Some(expected) = version {
                        w.expect_group_version(&group.code, expected)?;
                    }
                    w.set_group_company_settings(
                        &group.code,
                        &scope.company,
                        Some(&settings),
                        actor.by(),
                    )
                })?;
                Ok((settings, issues))
            }
            _ => Err(AdminError::Rejected(issues)),
        }
    }

    /// The settings that apply to group `code` in `company` (the default
    /// when none), each with where it comes from: through the tree per
    /// company, falling back to that company's AR settings.
    pub fn effective_in(
        &self,
        code: &str,
        company: Option<&str>,
    ) -> Result<EffectiveSettings, AdminError> {
        let stored = self.stored(code)?;
        let scope = self.scope(company)?;
        self.plugin
            .effective(scope.facts(&self.db), &stored.group.code)?
            .ok_or_else(|| AdminError::NoSuchGroup(code.to_owned()))
    }
}

impl Localize for AdminError {
    fn localize(&self, locale: Locale) -> String {
        match self {
            AdminError::Store(e) => e.localize(locale),
            AdminError::Plugin(e) => e.localize(locale),
            AdminError::DigestMismatch { recorded, found } => {
                messages::digest_mismatch(locale, found, recorded)
            }
            AdminError::NotPinned { pinned, found } => messages::not_pinned(locale, found, pinned),
            AdminError::Rejected(issues) => messages::rejected(locale, issues),
            AdminError::NoSuchGroup(code) => messages::no_such_group(locale, code),
            AdminError::DefaultCompany(code) => messages::default_company_settings(locale, code),
            AdminError::NoCompanySettings(version) => {
                messages::no_company_settings(locale, version)
            }
        }
    }
}
