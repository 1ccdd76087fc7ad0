//! The mail a service would send (invitations, registration, verification and reset tokens),
//! kept in memory for tests and logged one line per message for people running a server.

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::lock;

/// One message the service sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The token the message carries (registration, invitation, reset or login code), so a
    /// test does not have to parse `body`.
    pub token: Option<String>,
    /// The link the message carries, built on the server's public URL.
    pub link: Option<String>,
}

impl Mail {
    /// The single line the outbox logs for this message. Tokens and links are what a developer
    /// needs from a dev server's mail; passwords never reach a message in the first place.
    pub fn log_line(&self) -> String {
        let mut line = format!("[mail] to={} subject={:?}", self.to, self.subject);
        if let Some(token) = &self.token {
            line.push_str(&format!(" token={token}"));
        }
        if let Some(link) = &self.link {
            line.push_str(&format!(" link={link}"));
        }
        line
    }
}

type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// Shared, cloneable mailbox: every clone sees the same messages.
#[derive(Clone)]
pub struct Outbox {
    messages: Arc<Mutex<Vec<Mail>>>,
    logger: Logger,
}

impl Outbox {
    /// Logs each message to stderr.
    pub fn stderr() -> Self {
        Self::with_logger(|line| eprintln!("{line}"))
    }

    /// Keeps messages without logging them.
    pub fn silent() -> Self {
        Self::with_logger(|_| {})
    }

    /// Hands each message's [`Mail::log_line`] to `logger`.
    pub fn with_logger(logger: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self {
            messages: Arc::default(),
            logger: Arc::new(logger),
        }
    }

    pub(crate) fn send(&self, mail: Mail) {
        (self.logger)(&mail.log_line());
        lock(&self.messages).push(mail);
    }

    /// Every message sent so far, oldest first.
    pub fn messages(&self) -> Vec<Mail> {
        lock(&self.messages).clone()
    }

    /// The newest message to `to` (compared case-insensitively, as mail addresses are).
    pub fn last_to(&self, to: &str) -> Option<Mail> {
        lock(&self.messages)
            .iter()
            .rev()
            .find(|mail| mail.to.eq_ignore_ascii_case(to))
            .cloned()
    }

    /// The token of the newest message to `to`.
    pub fn last_token_to(&self, to: &str) -> Option<String> {
        self.last_to(to).and_then(|mail| mail.token)
    }
}

impl Default for Outbox {
    fn default() -> Self {
        Self::stderr()
    }
}

impl fmt::Debug for Outbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outbox")
            .field("messages", &lock(&self.messages).len())
            .finish_non_exhaustive()
    }
}
