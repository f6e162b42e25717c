//! The console's users: adding them, changing their role, state and
//! password, and checking a password at login. Passwords are kept only as
//! argon2id hashes (a fresh random salt each); a password the host makes
//! up ([`generate_password`]) is shown once, to whoever ran the command,
//! and never stored in the clear. There is no default password.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::messages::{Locale, Localize};
use crate::store::{Db, Role, StoreError, UserRecord};

/// The shortest password a user may choose (a generated one is longer).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// How many characters a generated password has: 20 of 56 symbols, about
/// 116 bits.
const GENERATED_CHARS: usize = 20;

/// The symbols of a generated password: letters and digits without the
/// ones read alike (`0`/`O`, `1`/`l`/`I`).
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// Why a user operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The store failed or refused (a duplicate name, no such user, the
    /// last administrator).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The name is not one a user may have.
    #[error("user name {0:?} is not allowed: use 1 to 64 letters, digits, '.', '_', '@' or '-'")]
    BadName(String),
    /// The password chosen is too short.
    #[error("the password is too short: at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    /// The operating system gave no randomness, or argon2 failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

impl Localize for UserError {
    fn localize(&self, locale: Locale) -> String {
        match (self, locale) {
            (UserError::Store(e), _) => e.localize(locale),
            (_, Locale::En) => self.to_string(),
            (UserError::BadName(name), Locale::Id) => format!(
                "nama pengguna {name:?} tidak diizinkan: gunakan 1 sampai 64 huruf, angka, '.', \
                 '_', '@' atau '-'"
            ),
            (UserError::WeakPassword, Locale::Id) => {
                format!("kata sandi terlalu pendek: paling sedikit {MIN_PASSWORD_CHARS} karakter")
            }
            (UserError::Hash(e), Locale::Id) => format!("kata sandi tidak dapat di-hash: {e}"),
        }
    }
}

/// Whether `name` is a valid user name (the store's CHECK says the same).
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b))
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], UserError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| UserError::Hash(e.to_string()))?;
    Ok(bytes)
}

/// A new random password of [`GENERATED_CHARS`] characters.
pub fn generate_password() -> Result<String, UserError> {
    let mut out = String::with_capacity(GENERATED_CHARS);
    while out.len() < GENERATED_CHARS {
        for b in random_bytes::<32>()? {
            // Rejection sampling keeps every symbol equally likely.
            let limit = 256 - 256 % ALPHABET.len();
            if usize::from(b) < limit && out.len() < GENERATED_CHARS {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// The argon2id PHC string of `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

fn chosen(password: &str) -> Result<&str, UserError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(UserError::WeakPassword)
    } else {
        Ok(password)
    }
}

/// A password given, checked, or else a new one generated; the password,
/// and whether it was generated (and must be shown).
fn given_or_generated(password: Option<&str>) -> Result<(String, bool), UserError> {
    match password {
        Some(p) => Ok((chosen(p)?.to_owned(), false)),
        None => Ok((generate_password()?, true)),
    }
}

/// A user added, and the password generated for them (shown once).
#[derive(Debug)]
pub struct Added {
    /// The user as stored.
    pub user: UserRecord,
    /// The password generated, when none was given.
    pub generated: Option<String>,
}

/// Adds user `name` with `role`; with `password` `None`, a password is
/// generated and returned (and must be shown: it is not kept).
pub fn add_user(
    db: &Db,
    name: &str,
    role: Role,
    password: Option<&str>,
    by: &str,
) -> Result<Added, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_owned()));
    }
    let (password, generated) = given_or_generated(password)?;
    let user = db.create_user(name, role, &hash_password(&password)?, by)?;
    Ok(Added {
        user,
        generated: generated.then_some(password),
    })
}

/// Sets a new password for `name`: the one given, else a generated one,
/// returned to be shown once.
pub fn set_password(db: &Db, name: &str, password: Option<&str>) -> Result<Added, UserError> {
    let (password, generated) = given_or_generated(password)?;
    let user = db.update_user(name, None, None, Some(&hash_password(&password)?))?;
    Ok(Added {
        user,
        generated: generated.then_some(password),
    })
}

/// Changes a user's role (refused if it leaves no active administrator).
pub fn set_role(db: &Db, name: &str, role: Role) -> Result<UserRecord, UserError> {
    Ok(db.update_user(name, Some(role), None, None)?)
}

/// Disables or enables a user (disabling the last active administrator is
/// refused).
pub fn set_disabled(db: &Db, name: &str, disabled: bool) -> Result<UserRecord, UserError> {
    Ok(db.update_user(name, None, Some(disabled), None)?)
}

/// The active user `name` if `password` is theirs; `None` for a wrong
/// password, an unknown or a disabled user alike (the caller cannot tell
/// which, and neither can whoever is guessing). An unknown name costs a
/// hash like a known one, so timing does not tell either.
pub fn verify_login(db: &Db, name: &str, password: &str) -> Result<Option<UserRecord>, UserError> {
    let user = db.user(name)?;
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash()?,
    };
    let hash = PasswordHash::new(&stored).map_err(|e| UserError::Hash(e.to_string()))?;
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok();
    Ok(user.filter(|u| matches && !u.disabled))
}

/// A hash no password matches in practice, computed once per process.
fn dummy_hash() -> Result<String, UserError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password(&generate_password()?)?;
    Ok(DUMMY.get_or_init(|| hash).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_password_is_long_and_from_the_alphabet() {
        let a = generate_password().expect("password");
        let b = generate_password().expect("password");
        assert_eq!(a.len(), GENERATED_CHARS);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
    }

    #[test]
    fn a_password_checks_against_its_hash_only() {
        let db = Db::open_in_memory().expect("db");
        let added = add_user(&db, "ana", Role::Viewer, None, "test").expect("add");
        let password = added.generated.expect("generated");
        assert!(added.user.password_hash.starts_with("$argon2id$"));
        assert!(!added.user.password_hash.contains(&password));
        let ok = verify_login(&db, "ana", &password).expect("verify");
        assert_eq!(ok.map(|u| u.role), Some(Role::Viewer));
        assert!(
            verify_login(&db, "ana", "wrong password!")
                .expect("verify")
                .is_none()
        );
        assert!(
            verify_login(&db, "bob", &password)
                .expect("verify")
                .is_none()
        );
        set_disabled(&db, "ana", true).expect("disable");
        assert!(
            verify_login(&db, "ana", &password)
                .expect("verify")
                .is_none()
        );
    }

    #[test]
    fn short_passwords_and_odd_names_are_refused() {
        let db = Db::open_in_memory().expect("db");
        let short = add_user(&db, "ana", Role::Viewer, Some("short"), "t");
        assert!(matches!(short, Err(UserError::WeakPassword)), "{short:?}");
        let odd = add_user(&db, "a b", Role::Viewer, None, "t");
        assert!(matches!(odd, Err(UserError::BadName(_))), "{odd:?}");
    }
}
