//! Sessions, their CSRF tokens, and the login rate limit, all in the
//! server's memory (a restart logs everyone out).
//!
//! A browser gets a session at its first page (the login form): a random
//! 256-bit id in an `HttpOnly`, `SameSite=Strict` cookie (`Secure` when the
//! console is behind TLS), and a random CSRF token that every form carries
//! and every state-changing request must send back. Logging in replaces the
//! session (a new id and token: no session fixation); logging out ends it;
//! a session idle longer than the configured time ends too.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::messages::Locale;
use crate::users::{UserError, random_bytes};

/// The session cookie's name.
pub const COOKIE: &str = "erp_session";

/// The most sessions kept: past this the oldest idle ones go first, so
/// that anonymous visits cannot fill the memory.
const MAX_SESSIONS: usize = 10_000;

/// One browser's session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The user logged in, if any.
    pub user: Option<String>,
    /// The token every form must send back.
    pub csrf: String,
    /// The language the user chose.
    pub locale: Locale,
    /// What the next page says once (what a save did, the plugin's
    /// warnings), kept across the redirect after a POST.
    notices: Vec<String>,
    last_seen: Instant,
}

/// Every session, by id.
pub struct Sessions {
    idle: Duration,
    map: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes as hex.
fn token() -> Result<String, UserError> {
    Ok(hex::encode(random_bytes::<32>()?))
}

impl Sessions {
    /// No sessions; each ends after `idle` without a request.
    pub fn new(idle: Duration) -> Self {
        Self {
            idle,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The live session `id`, touched; an idle one is ended.
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut map = self.map();
        let now = Instant::now();
        let live = map
            .get(id)
            .is_some_and(|s| now.duration_since(s.last_seen) <= self.idle);
        if !live {
            map.remove(id);
            return None;
        }
        let session = map.get_mut(id)?;
        session.last_seen = now;
        Some(session.clone())
    }

    /// A new session (for `user`, in `locale`); its id.
    pub fn start(&self, user: Option<String>, locale: Locale) -> Result<String, UserError> {
        let id = token()?;
        let session = Session {
            user,
            csrf: token()?,
            locale,
            notices: Vec::new(),
            last_seen: Instant::now(),
        };
        let mut map = self.map();
        if map.len() >= MAX_SESSIONS {
            let now = Instant::now();
            map.retain(|_, s| now.duration_since(s.last_seen) <= self.idle);
            if map.len() >= MAX_SESSIONS
                && let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, s)| s.last_seen)
                    .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(id.clone(), session);
        Ok(id)
    }

    /// Ends session `id`.
    pub fn end(&self, id: &str) {
        self.map().remove(id);
    }

    /// Keeps `notices` for the next page of session `id`.
    pub fn tell(&self, id: &str, notices: impl IntoIterator<Item = String>) {
        if let Some(s) = self.map().get_mut(id) {
            s.notices.extend(notices);
        }
    }

    /// The notices kept for session `id`, now shown (and forgotten).
    pub fn take_notices(&self, id: &str) -> Vec<String> {
        self.map()
            .get_mut(id)
            .map(|s| std::mem::take(&mut s.notices))
            .unwrap_or_default()
    }

    /// Sets the locale of session `id`.
    pub fn set_locale(&self, id: &str, locale: Locale) {
        if let Some(s) = self.map().get_mut(id) {
            s.locale = locale;
        }
    }
}

/// Whether two tokens are equal, in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Failed logins counted per client address and per user name: past the
/// limit within the window, logins are refused until it has passed.
pub struct LoginLimiter {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// At most `limit` failures per address and per name within `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(ip: IpAddr, name: &str) -> [String; 2] {
        [format!("ip {ip}"), format!("user {}", name.to_lowercase())]
    }

    /// Whether a login from `ip` as `name` may be tried now.
    pub fn allows(&self, ip: IpAddr, name: &str) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        map.retain(|_, (_, since)| now.duration_since(*since) <= self.window);
        Self::keys(ip, name)
            .iter()
            .all(|k| map.get(k).is_none_or(|(n, _)| *n < self.limit))
    }

    /// Counts a failed login.
    pub fn failed(&self, ip: IpAddr, name: &str) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        for key in Self::keys(ip, name) {
            map.entry(key).or_insert((0, now)).0 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_by_every_byte() {
        assert!(same_token("abcd", "abcd"));
        assert!(!same_token("abcd", "abce"));
        assert!(!same_token("abcd", "abc"));
    }

    #[test]
    fn an_idle_session_ends() {
        let sessions = Sessions::new(Duration::from_millis(30));
        let id = sessions.start(None, Locale::En).expect("start");
        assert!(sessions.get(&id).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(sessions.get(&id).is_none());
    }

    #[test]
    fn the_limiter_counts_per_address_and_per_name() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let ip: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        limiter.failed(ip, "ana");
        assert!(limiter.allows(ip, "ana"));
        limiter.failed(ip, "bob");
        assert!(!limiter.allows(ip, "carl"), "the address is over");
        assert!(limiter.allows(other, "bob"), "bob failed once");
        limiter.failed(other, "bob");
        assert!(!limiter.allows([127, 0, 0, 3].into(), "BOB"), "bob is over");
    }
}
