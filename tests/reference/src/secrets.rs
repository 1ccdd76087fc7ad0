//! Tokens and secrets: one OS-seeded CSPRNG for every token the services hand out, secrets that
//! never print, SHA-256 digests for bearer secrets shown only once, constant-time comparison.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rand::rngs::{StdRng, SysRng};
use rand::{RngExt, SeedableRng};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::lock;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";

/// A secret kept in memory (an account token, a one-time token). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Constant-time in the contents; a length mismatch returns early, which reveals only
    /// the length, and every token of a kind has the same length.
    pub fn matches(&self, candidate: &str) -> bool {
        self.0.as_bytes().ct_eq(candidate.as_bytes()).into()
    }

    /// The value, for the one response or message that must carry it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A one-time token sent to `email` (registration, invitation, password reset).
#[derive(Debug, Clone)]
pub struct Pending {
    pub email: String,
    pub token: Secret,
    pub expires: SystemTime,
}

impl Pending {
    pub fn is_live(&self, now: SystemTime) -> bool {
        now < self.expires
    }

    /// Records `token`, sent to `email`, in `list` as the only one that address has: a newer
    /// token replaces the older, so that only the newest link works.
    pub fn issue(list: &mut Vec<Pending>, email: &str, token: &str, expires: SystemTime) {
        list.retain(|pending| !pending.email.eq_ignore_ascii_case(email));
        list.push(Pending {
            email: email.to_string(),
            token: Secret::new(token),
            expires,
        });
    }
}

/// The index of the item whose secret is `candidate`. Every item is compared, so the time
/// taken does not depend on where (or whether) the match is.
pub fn position_of<T>(
    items: &[T],
    candidate: &str,
    secret: impl Fn(&T) -> &Secret,
) -> Option<usize> {
    let mut found = None;
    for (index, item) in items.iter().enumerate() {
        if secret(item).matches(candidate) {
            found = Some(index);
        }
    }
    found
}

/// SHA-256 of a high-entropy secret: enough for random tokens (unlike passwords, they cannot
/// be guessed from a dictionary), and cheap enough to check on every request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SecretDigest([u8; 32]);

impl SecretDigest {
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    pub fn matches(&self, candidate: &str) -> bool {
        self.0.ct_eq(&Self::of(candidate).0).into()
    }
}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretDigest(sha256, <redacted>)")
    }
}

/// Could not seed the token generator from the operating system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError(pub String);

/// The token generator. Seeded once from the OS, so that drawing a token never fails inside a
/// request (several operations document no failure status to answer with).
#[derive(Clone)]
pub struct Tokens(Arc<Mutex<StdRng>>);

impl Tokens {
    pub fn from_os() -> Result<Self, SeedError> {
        let rng = StdRng::try_from_rng(&mut SysRng).map_err(|err| SeedError(err.to_string()))?;
        Ok(Self(Arc::new(Mutex::new(rng))))
    }

    fn draw(&self, alphabet: &[u8], length: usize) -> String {
        let mut rng = lock(&self.0);
        (0..length)
            .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
            .collect()
    }

    /// Letters and digits, as zrok and Pterodactyl tokens are.
    pub fn alnum(&self, length: usize) -> String {
        self.draw(ALNUM, length)
    }

    pub fn hex(&self, length: usize) -> String {
        self.draw(HEX, length)
    }

    pub fn digits(&self, length: usize) -> String {
        self.draw(DIGITS, length)
    }

    /// A UUID-shaped (version 4 layout) random identifier.
    pub fn uuid(&self) -> String {
        let hex = self.hex(30);
        let variant = self.draw(b"89ab", 1);
        format!(
            "{}-{}-4{}-{}{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..15],
            variant,
            &hex[15..18],
            &hex[18..30]
        )
    }

    pub fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut bytes = [0u8; N];
        let mut rng = lock(&self.0);
        for byte in &mut bytes {
            *byte = rng.random();
        }
        bytes
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tokens(<csprng>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_their_shape() {
        let tokens = Tokens::from_os().expect("seed");
        let token = tokens.alnum(24);
        assert_eq!(token.len(), 24);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(tokens.alnum(24), token);
        let uuid = tokens.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.matches('-').count(), 4);
        assert!(tokens.digits(6).chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn secrets_compare_and_redact() {
        let secret = Secret::new("s3cret-token");
        assert!(secret.matches("s3cret-token"));
        assert!(!secret.matches("s3cret-tokeN"));
        assert!(!secret.matches(""));
        assert!(!format!("{secret:?}").contains("s3cret"));
        let digest = SecretDigest::of("s3cret-token");
        assert!(digest.matches("s3cret-token"));
        assert!(!digest.matches("other"));
    }
}
