//! RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits: what
//! authenticator apps and Pterodactyl use), with base32 secrets in `otpauth://` URIs.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// Seconds per time step.
pub const STEP: u64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

/// The RFC 4226 HOTP value for `counter`, `digits` long (zero-padded).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> Option<String> {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation (RFC 4226 section 5.3).
    let offset = usize::from(digest.last()? & 0x0f);
    let chunk: [u8; 4] = digest.get(offset..offset + 4)?.try_into().ok()?;
    let value = u32::from_be_bytes(chunk) & 0x7fff_ffff;
    let modulus = 10u32.checked_pow(digits)?;
    Some(format!(
        "{:0width$}",
        value % modulus,
        width = usize::try_from(digits).ok()?
    ))
}

/// The TOTP code for `unix_time`.
pub fn code_at(secret: &[u8], unix_time: u64) -> Option<String> {
    hotp(secret, unix_time / STEP, DIGITS)
}

/// Whether `code` is valid at `unix_time`, allowing one step of clock drift either way (as
/// Pterodactyl's Google2FA window does).
pub fn verify(secret: &[u8], code: &str, unix_time: u64) -> bool {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let step = unix_time / STEP;
    let mut valid = false;
    for counter in [step.saturating_sub(1), step, step.saturating_add(1)] {
        if let Some(expected) = hotp(secret, counter, DIGITS) {
            // Check every window, so the time taken does not say which one matched.
            valid |= bool::from(expected.as_bytes().ct_eq(code.as_bytes()));
        }
    }
    valid
}

/// Base32 (RFC 4648, no padding), as authenticator apps expect secrets.
pub fn encode_secret(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// The bytes of a base32 secret (case-insensitive, padding ignored).
pub fn decode_secret(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    BASE32_NOPAD.decode(cleaned.as_bytes()).ok()
}

/// `otpauth://totp/Issuer:account?secret=...&issuer=Issuer`, the shape Pterodactyl documents.
pub fn provisioning_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        percent_encode(issuer),
        percent_encode(account),
        secret_base32,
        percent_encode(issuer)
    )
}

/// The `secret` parameter of an `otpauth://` URI.
pub fn secret_from_uri(uri: &str) -> Option<Vec<u8>> {
    let (_, query) = uri.split_once('?')?;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("secret="))?;
    decode_secret(value)
}

/// Percent-encodes everything but RFC 3986 unreserved characters (so `@` becomes `%40`).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows.
    #[test]
    fn rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(hotp(secret, time / STEP, 8).as_deref(), Some(expected));
        }
    }

    #[test]
    fn verify_accepts_one_step_of_drift_only() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_111;
        let code = code_at(secret, now).expect("code");
        assert!(verify(secret, &code, now));
        assert!(verify(secret, &code, now + STEP));
        assert!(!verify(secret, &code, now + 3 * STEP));
        assert!(!verify(secret, "12345", now));
        assert!(!verify(secret, "abcdef", now));
    }

    #[test]
    fn uri_round_trip() {
        let secret = [7u8; 20];
        let uri = provisioning_uri("Pterodactyl", "a@example.com", &encode_secret(&secret));
        assert!(uri.starts_with("otpauth://totp/Pterodactyl:a%40example.com?secret="));
        assert!(uri.ends_with("&issuer=Pterodactyl"));
        assert_eq!(secret_from_uri(&uri).as_deref(), Some(&secret[..]));
    }
}
