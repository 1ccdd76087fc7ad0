//! A documented status: an exact code, a range (`4XX`), or `default`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `2XX` and friends: the leading digit.
    Range(u16),
    Default,
}

impl Status {
    /// `200`, `4XX` (any case) or `default`.
    pub fn parse(text: &str) -> Option<Status> {
        if text == "default" {
            return Some(Status::Default);
        }
        let bytes = text.as_bytes();
        if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
            return None;
        }
        if bytes[1..].eq_ignore_ascii_case(b"xx") {
            return Some(Status::Range(u16::from(bytes[0] - b'0')));
        }
        text.parse().ok().map(Status::Code)
    }

    /// Whether a status code is the one this documents.
    pub fn covers(self, code: u16) -> bool {
        match self {
            Status::Code(documented) => documented == code,
            Status::Range(leading) => code / 100 == leading,
            Status::Default => true,
        }
    }

    /// How specific the entry is: an exact code wins over a range, a range over `default`.
    pub fn precedence(self) -> u8 {
        match self {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        }
    }

    /// Whether the status (or every status it covers) is a client or server error.
    pub fn is_error(self) -> bool {
        match self {
            Status::Code(code) => code >= 400,
            Status::Range(leading) => leading >= 4,
            Status::Default => false,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(leading) => write!(f, "{leading}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Status::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a status (`200`, `4XX` or `default`)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_and_cover() {
        assert_eq!(Status::parse("200"), Some(Status::Code(200)));
        assert_eq!(Status::parse("4xx"), Some(Status::Range(4)));
        assert_eq!(Status::parse("default"), Some(Status::Default));
        assert_eq!(Status::parse("OK"), None);
        assert_eq!(Status::parse("600"), None);
        assert!(Status::Range(4).covers(404));
        assert!(!Status::Range(4).covers(500));
        assert_eq!(Status::Range(5).to_string(), "5XX");
        assert!(Status::Code(401).is_error());
    }
}
