//! Argon2id password hashes (PHC strings) and the length policy the services share.
//!
//! Hashing is CPU-bound on purpose, so the async helpers run it on tokio's blocking pool instead
//! of stalling the connection tasks, and callers verify without holding a store's lock. At most
//! [`max_concurrent_hashes`] hashes run at once (a tokio `Semaphore`); further logins wait for a
//! permit without a thread or the hash's memory (19 MiB each in release builds), so a burst of
//! logins costs time, not memory.

use std::fmt;
use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password any of the services accepts (zrok's default and Pterodactyl's rule).
pub const MIN_LENGTH: usize = 8;
/// Longest password accepted: keeps a hostile multi-megabyte "password" from costing a hash.
pub const MAX_LENGTH: usize = 256;

/// A stored password: an Argon2id PHC string. `Debug` shows only the algorithm.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(argon2id, <redacted>)")
    }
}

/// Hashing failed (the OS gave no salt, or parameters were refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashError;

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the password could not be hashed")
    }
}

impl std::error::Error for HashError {}

/// OWASP's Argon2id recommendation (19 MiB, 2 passes) in release builds. Debug builds compile
/// argon2 without optimisation, where those parameters cost 0.75 s per hash (measured here)
/// and the flow tests hash dozens of times, so they use a minimal cost (64 KiB, 1 pass, 2 ms):
/// the stored format and the code path are the same, only the work factor differs.
fn hasher() -> Argon2<'static> {
    let params = if cfg!(debug_assertions) {
        Params::new(64, 1, 1, None)
    } else {
        Params::new(
            Params::DEFAULT_M_COST,
            Params::DEFAULT_T_COST,
            Params::DEFAULT_P_COST,
            None,
        )
    };
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        params.unwrap_or_default(),
    )
}

/// Hashes on the current thread (start-up, tests).
pub fn hash_now(password: &str) -> Result<PasswordHash, HashError> {
    let phc: Phc = hasher()
        .hash_password(password.as_bytes())
        .map_err(|_| HashError)?;
    Ok(PasswordHash(phc.to_string()))
}

/// Checks `password` against `hash` on the current thread. The comparison inside argon2 is
/// constant-time.
pub fn verify_now(hash: &PasswordHash, password: &str) -> bool {
    match Phc::new(&hash.0) {
        Ok(phc) => hasher().verify_password(password.as_bytes(), &phc).is_ok(),
        Err(_) => false,
    }
}

/// How many hashes may run at once: one per core the process may use (at least one). More
/// would not finish sooner, only hold more memory and threads.
pub fn max_concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(max_concurrent_hashes()))
}

/// Runs `work` on the blocking pool once a hashing permit is free; `None` if it could not run.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    // The semaphore is never closed, so acquiring fails only if it were.
    let _permit = permits().acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// [`hash_now`] on the blocking pool, within the bound on concurrent hashes.
pub async fn hash(password: String) -> Result<PasswordHash, HashError> {
    bounded(move || hash_now(&password))
        .await
        .unwrap_or(Err(HashError))
}

/// [`verify_now`] on the blocking pool, within the bound on concurrent hashes; `false` if the
/// task could not run.
pub async fn verify(hash: PasswordHash, password: String) -> bool {
    bounded(move || verify_now(&hash, &password))
        .await
        .unwrap_or(false)
}

/// [`verify`] when an account was found; otherwise spends the same work on a fixed hash and
/// answers `false`, so response times do not tell which accounts exist.
pub async fn verify_if_found(hash: Option<PasswordHash>, password: String) -> bool {
    static DUMMY: OnceLock<Option<PasswordHash>> = OnceLock::new();
    match hash {
        Some(hash) => verify(hash, password).await,
        None => {
            let dummy = DUMMY.get_or_init(|| hash_now("no such account").ok());
            if let Some(dummy) = dummy {
                let _ = verify(dummy.clone(), password).await;
            }
            false
        }
    }
}

/// The shared length rule, worded like zrok's validation messages.
pub fn check_length(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(format!(
            "password length must be at least {MIN_LENGTH} characters"
        ))
    } else if length > MAX_LENGTH {
        Err(format!(
            "password length must be at most {MAX_LENGTH} characters"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_never_show_the_password() {
        let hash = hash_now("correct-Horse-1").expect("hash");
        assert!(verify_now(&hash, "correct-Horse-1"));
        assert!(!verify_now(&hash, "correct-horse-1"));
        assert!(hash.0.starts_with("$argon2id$"));
        assert!(!format!("{hash:?}").contains("correct"));
        assert!(!hash.0.contains("correct-Horse-1"));
    }

    #[test]
    fn length_rule() {
        assert!(check_length("short").is_err());
        assert!(check_length("long enough").is_ok());
        assert!(check_length(&"x".repeat(MAX_LENGTH + 1)).is_err());
    }
}
