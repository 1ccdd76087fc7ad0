//! The rule table: every change `breaking` can report, with oasdiff's id, our level and
//! oasdiff's level for the same id (so a difference is visible, never silent).
//!
//! Ids are oasdiff's (checker/rules.go and its English messages), so a report can be compared
//! line by line with that tool. The few rules oasdiff does not have carry `oasdiff: None`.

use serde::Serialize;

/// How bad a change is for existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// oasdiff's ERR: existing clients (or servers) stop working.
    Breaking,
    /// oasdiff's WARN: breaks some clients, depending on how they were written.
    PossiblyBreaking,
    /// oasdiff's INFO: existing clients keep working.
    NonBreaking,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::PossiblyBreaking => "possibly breaking",
            Level::NonBreaking => "non-breaking",
        }
    }
}

/// One kind of change.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    /// oasdiff's level for this id; `None` for rules oasdiff does not have.
    pub oasdiff: Option<Level>,
    pub description: &'static str,
}

use Level::{Breaking as ERR, NonBreaking as INFO, PossiblyBreaking as WARN};

macro_rules! rules {
    ($($id:literal $level:ident $oasdiff:tt $description:literal;)*) => {
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id,
            level: $level,
            oasdiff: rules!(@oasdiff $level $oasdiff),
            description: $description,
        },)*];
    };
    (@oasdiff $level:ident same) => { Some($level) };
    (@oasdiff $level:ident local) => { None };
    (@oasdiff $level:ident $oasdiff:ident) => { Some($oasdiff) };
}

// Columns: id, our level, oasdiff's level (`same`, another level, or `local` for a rule
// oasdiff does not have), description.
rules! {
    // Paths and operations
    "endpoint-added" INFO same "an operation was added";
    "api-path-removed-without-deprecation" ERR same "a path was removed without being deprecated first";
    "api-path-removed-with-deprecation" INFO same "a deprecated path was removed";
    "api-removed-without-deprecation" ERR same "an operation was removed without being deprecated first";
    "api-removed-with-deprecation" INFO same "a deprecated operation was removed";
    "endpoint-deprecated" INFO same "an operation was deprecated";
    "endpoint-reactivated" INFO same "an operation is no longer deprecated";
    "api-operation-id-removed" INFO same "an operationId was removed or changed";
    "api-operation-id-added" INFO same "an operationId was added";
    "api-tag-removed" INFO same "a tag was removed from an operation";
    "api-tag-added" INFO same "a tag was added to an operation";
    "api-schema-removed" INFO same "a schema was removed from components/schemas";

    // Parameters
    "new-required-request-parameter" ERR same "a required parameter was added";
    "new-optional-request-parameter" INFO same "an optional parameter was added";
    "request-parameter-removed" WARN same "a parameter was removed";
    "request-parameter-removed-with-deprecation" INFO same "a deprecated parameter was removed";
    "request-parameter-in-changed" ERR local "a parameter moved to another location (query, header, cookie)";
    "request-parameter-renamed" ERR local "a parameter was renamed (same location and schema)";
    "request-parameter-became-required" ERR same "a parameter became required";
    "request-parameter-became-optional" INFO same "a parameter became optional";
    "request-parameter-deprecated" INFO same "a parameter was deprecated";
    "request-parameter-reactivated" INFO same "a parameter is no longer deprecated";
    "request-parameter-type-changed" ERR same "a parameter's type or format changed";
    "request-parameter-type-generalized" INFO same "a parameter's type or format was widened";
    "request-parameter-became-enum" ERR same "a parameter was restricted to a list of values";
    "request-parameter-enum-value-removed" ERR same "a value was removed from a parameter's enum";
    "request-parameter-enum-value-added" INFO same "a value was added to a parameter's enum";
    "request-parameter-max-length-decreased" ERR same "a parameter's maxLength decreased";
    "request-parameter-max-length-increased" INFO same "a parameter's maxLength increased";
    "request-parameter-max-length-set" ERR same "a parameter got a maxLength";
    "request-parameter-min-length-increased" ERR same "a parameter's minLength increased";
    "request-parameter-min-length-decreased" INFO same "a parameter's minLength decreased";
    "request-parameter-pattern-added" ERR same "a parameter got a pattern";
    "request-parameter-pattern-removed" INFO same "a parameter's pattern was removed";
    "request-parameter-pattern-changed" WARN same "a parameter's pattern changed";
    "request-parameter-min-increased" ERR same "a parameter's minimum increased";
    "request-parameter-min-decreased" INFO same "a parameter's minimum decreased";
    "request-parameter-min-set" ERR same "a parameter got a minimum";
    "request-parameter-max-decreased" ERR same "a parameter's maximum decreased";
    "request-parameter-max-increased" INFO same "a parameter's maximum increased";
    "request-parameter-max-set" ERR same "a parameter got a maximum";
    "request-parameter-min-items-increased" ERR same "a parameter's minItems increased";
    "request-parameter-min-items-decreased" INFO same "a parameter's minItems decreased";
    "request-parameter-min-items-set" ERR same "a parameter got a minItems";
    "request-parameter-max-items-decreased" ERR same "a parameter's maxItems decreased (or was set)";
    "request-parameter-max-items-increased" INFO same "a parameter's maxItems increased";
    "request-parameter-became-nullable" INFO same "a parameter became nullable";
    "request-parameter-became-not-nullable" ERR same "a parameter is no longer nullable";

    // Request bodies
    "request-body-added-required" ERR same "a required request body was added";
    "request-body-added-optional" INFO same "an optional request body was added";
    "request-body-removed" ERR same "the request body was removed";
    "request-body-became-required" ERR same "the request body became required";
    "request-body-became-optional" INFO same "the request body became optional";
    "request-body-media-type-added" INFO same "a request body media type was added";
    "request-body-media-type-removed" ERR same "a request body media type was removed";
    "request-body-type-changed" ERR same "the request body's type or format changed";
    "request-body-type-generalized" INFO same "the request body's type or format was widened";
    "request-body-became-enum" ERR same "the request body was restricted to a list of values";
    "request-body-enum-value-removed" ERR same "a value was removed from the request body's enum";
    "request-body-max-length-decreased" ERR same "the request body's maxLength decreased";
    "request-body-max-length-increased" INFO same "the request body's maxLength increased";
    "request-body-max-length-set" ERR same "the request body got a maxLength";
    "request-body-min-length-increased" ERR same "the request body's minLength increased";
    "request-body-min-length-decreased" INFO same "the request body's minLength decreased";
    "request-body-min-increased" ERR same "the request body's minimum increased";
    "request-body-min-decreased" INFO same "the request body's minimum decreased";
    "request-body-min-set" ERR same "the request body got a minimum";
    "request-body-max-decreased" ERR same "the request body's maximum decreased";
    "request-body-max-increased" INFO same "the request body's maximum increased";
    "request-body-max-set" ERR same "the request body got a maximum";
    "request-body-min-items-increased" ERR same "the request body's minItems increased";
    "request-body-min-items-set" ERR same "the request body got a minItems";
    "request-body-max-items-decreased" ERR same "the request body's maxItems decreased";
    "request-body-max-items-increased" INFO same "the request body's maxItems increased";
    "request-body-max-items-set" ERR same "the request body got a maxItems";
    "request-body-became-nullable" INFO same "the request body became nullable";
    "request-body-became-not-nullable" ERR same "the request body is no longer nullable";
    "request-body-one-of-added" INFO same "an alternative was added to the request body's oneOf";
    "request-body-one-of-removed" ERR same "an alternative was removed from the request body's oneOf";
    "request-body-any-of-added" INFO same "an alternative was added to the request body's anyOf";
    "request-body-any-of-removed" ERR same "an alternative was removed from the request body's anyOf";

    // Request properties
    "new-required-request-property" ERR same "a required request property was added";
    "new-optional-request-property" INFO same "an optional request property was added";
    "request-property-removed" WARN same "a request property was removed";
    "request-property-became-required" ERR same "a request property became required";
    "request-property-became-optional" INFO same "a request property became optional";
    "request-property-type-changed" ERR same "a request property's type or format changed";
    "request-property-type-generalized" INFO same "a request property's type or format was widened";
    "request-property-became-enum" ERR same "a request property was restricted to a list of values";
    "request-property-enum-value-removed" ERR same "a value was removed from a request property's enum";
    "request-property-enum-value-added" INFO same "a value was added to a request property's enum";
    "request-property-max-length-decreased" ERR same "a request property's maxLength decreased";
    "request-property-max-length-increased" INFO same "a request property's maxLength increased";
    "request-property-max-length-set" ERR same "a request property got a maxLength";
    "request-property-min-length-increased" ERR same "a request property's minLength increased";
    "request-property-min-length-decreased" INFO same "a request property's minLength decreased";
    "request-property-pattern-added" ERR same "a request property got a pattern";
    "request-property-pattern-removed" INFO same "a request property's pattern was removed";
    "request-property-pattern-changed" WARN same "a request property's pattern changed";
    "request-property-min-increased" ERR same "a request property's minimum increased";
    "request-property-min-decreased" INFO same "a request property's minimum decreased";
    "request-property-min-set" ERR same "a request property got a minimum";
    "request-property-max-decreased" ERR same "a request property's maximum decreased";
    "request-property-max-increased" INFO same "a request property's maximum increased";
    "request-property-max-set" ERR same "a request property got a maximum";
    "request-property-min-items-increased" ERR same "a request property's minItems increased";
    "request-property-min-items-set" ERR same "a request property got a minItems";
    "request-property-max-items-decreased" ERR same "a request property's maxItems decreased";
    "request-property-max-items-increased" INFO same "a request property's maxItems increased";
    "request-property-max-items-set" ERR same "a request property got a maxItems";
    "request-property-became-nullable" INFO same "a request property became nullable";
    "request-property-became-not-nullable" ERR same "a request property is no longer nullable";
    "request-property-one-of-added" INFO same "an alternative was added to a request property's oneOf";
    "request-property-one-of-removed" ERR same "an alternative was removed from a request property's oneOf";
    "request-property-any-of-added" INFO same "an alternative was added to a request property's anyOf";
    "request-property-any-of-removed" ERR same "an alternative was removed from a request property's anyOf";

    // Responses
    "response-success-status-removed" ERR same "a success (2xx) response status was removed";
    "response-non-success-status-removed" INFO same "a non-success response status was removed";
    "response-success-status-added" INFO same "a success (2xx) response status was added";
    "response-non-success-status-added" INFO same "a non-success response status was added";
    "response-media-type-removed" ERR same "a response media type was removed";
    "response-media-type-added" INFO same "a response media type was added";
    "required-response-header-removed" ERR same "a required response header was removed";
    "optional-response-header-removed" WARN same "an optional response header was removed";
    "response-header-added" INFO same "a response header was added";
    "response-header-became-optional" ERR same "a response header became optional";
    "response-body-type-changed" ERR same "the response body's type or format changed";
    "response-body-type-specialized" INFO same "the response body's type or format was narrowed";
    "response-body-became-nullable" ERR same "the response body became nullable";
    "response-body-became-not-nullable" INFO same "the response body is no longer nullable";
    "response-mediatype-enum-value-removed" INFO same "a value was removed from the response body's enum";
    "response-body-max-length-increased" ERR same "the response body's maxLength increased";
    "response-body-max-length-unset" ERR same "the response body's maxLength was removed";
    "response-body-min-length-decreased" ERR same "the response body's minLength decreased";
    "response-body-min-decreased" ERR same "the response body's minimum decreased (or was removed)";
    "response-body-max-increased" ERR same "the response body's maximum increased (or was removed)";
    "response-body-min-items-decreased" ERR same "the response body's minItems decreased";
    "response-body-min-items-unset" ERR same "the response body's minItems was removed";
    "response-body-max-items-increased" ERR same "the response body's maxItems increased (or was removed)";
    "response-body-one-of-added" ERR same "an alternative was added to the response body's oneOf";
    "response-body-one-of-removed" INFO same "an alternative was removed from the response body's oneOf";
    "response-body-any-of-added" ERR same "an alternative was added to the response body's anyOf";
    "response-body-any-of-removed" INFO same "an alternative was removed from the response body's anyOf";

    // Response properties
    "response-required-property-removed" ERR same "a required response property was removed";
    "response-optional-property-removed" INFO same "an optional response property was removed";
    "response-required-property-added" INFO same "a required response property was added";
    "response-optional-property-added" INFO same "an optional response property was added";
    "response-property-became-optional" ERR same "a response property became optional";
    "response-property-became-required" INFO same "a response property became required";
    "response-property-became-nullable" ERR same "a response property became nullable";
    "response-property-became-not-nullable" INFO same "a response property is no longer nullable";
    "response-property-type-changed" ERR same "a response property's type or format changed";
    "response-property-type-specialized" INFO same "a response property's type or format was narrowed";
    "response-property-enum-value-added" WARN same "a value was added to a response property's enum";
    "response-property-enum-value-removed" INFO same "a value was removed from a response property's enum";
    "response-property-max-length-increased" ERR same "a response property's maxLength increased";
    "response-property-max-length-unset" ERR same "a response property's maxLength was removed";
    "response-property-min-length-decreased" ERR same "a response property's minLength decreased";
    "response-property-pattern-added" INFO same "a response property got a pattern";
    "response-property-pattern-removed" ERR same "a response property's pattern was removed";
    "response-property-pattern-changed" WARN same "a response property's pattern changed";
    "response-property-min-decreased" ERR same "a response property's minimum decreased (or was removed)";
    "response-property-max-increased" ERR same "a response property's maximum increased (or was removed)";
    "response-property-min-items-decreased" ERR same "a response property's minItems decreased";
    "response-property-min-items-unset" ERR same "a response property's minItems was removed";
    "response-property-max-items-increased" ERR same "a response property's maxItems increased (or was removed)";
    "response-property-one-of-added" ERR same "an alternative was added to a response property's oneOf";
    "response-property-one-of-removed" INFO same "an alternative was removed from a response property's oneOf";
    "response-property-any-of-added" ERR same "an alternative was added to a response property's anyOf";
    "response-property-any-of-removed" INFO same "an alternative was removed from a response property's anyOf";

    // Security
    "api-security-removed" ERR same "a security alternative of an operation was removed";
    "api-security-added" INFO same "a security alternative was added to an operation";
    "api-security-scope-added" ERR same "a scope is now required by an operation's security";
    "api-security-scope-removed" INFO same "a scope is no longer required by an operation's security";
    "api-global-security-removed" ERR same "a global security alternative was removed";
    "api-global-security-added" INFO same "a global security alternative was added";
    "api-global-security-scope-added" ERR same "a scope is now required by the global security";
    "api-global-security-scope-removed" INFO same "a scope is no longer required by the global security";
    "api-security-component-added" INFO same "a security scheme was added to components";
    "api-security-component-removed" INFO same "a security scheme was removed from components";
    // oasdiff rates a scheme's type change INFO; a client that sends an API key cannot satisfy
    // a bearer scheme, so every operation using the scheme breaks.
    "api-security-component-type-changed" ERR INFO "a security scheme's type (or HTTP scheme) changed";
    "api-security-component-api-key-moved" ERR local "an API key scheme's `in` or `name` changed";
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

/// Which way data flows through the schema being compared: the direction decides whether a
/// narrower schema breaks (requests) or a wider one does (responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Request,
    Response,
}

/// What a schema comparison is rooted at; with the property path it picks the rule family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Root {
    Parameter,
    Body,
}

/// The rule for a schema-level change, or `None` when oasdiff has no rule for it in that
/// place (such changes are not reported: a narrower response or a wider request is safe).
///
/// `suffixes` names the change and, after it, what the change also is: a `maxLength` that
/// was set is also a decrease (from unbounded), one that was removed an increase. The first
/// suffix with a rule wins. oasdiff names the same change `request-parameter-…`,
/// `request-body-…` (the body's own schema), `request-property-…` (anything below it) and
/// likewise for responses; a body-level change without a `…-body-…` rule uses the property
/// rule, as oasdiff does.
pub fn schema_rule(
    direction: Direction,
    root: Root,
    at_root: bool,
    suffixes: &[&str],
) -> Option<&'static Rule> {
    let families: &[&str] = match (direction, root, at_root) {
        (Direction::Request, Root::Parameter, _) => &["request-parameter"],
        (Direction::Request, Root::Body, true) => &["request-body", "request-property"],
        (Direction::Request, Root::Body, false) => &["request-property"],
        (Direction::Response, Root::Body, true) => &["response-body", "response-property"],
        (Direction::Response, Root::Body, false) => &["response-property"],
        (Direction::Response, Root::Parameter, _) => &[],
    };
    suffixes.iter().find_map(|suffix| {
        // oasdiff's one irregular name.
        if (direction, root, at_root) == (Direction::Response, Root::Body, true)
            && *suffix == "enum-value-removed"
        {
            return find("response-mediatype-enum-value-removed");
        }
        families.iter().find_map(|family| {
            RULES.iter().find(|rule| {
                rule.id
                    .strip_prefix(family)
                    .and_then(|rest| rest.strip_prefix('-'))
                    == Some(*suffix)
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "duplicate rule {}", rule.id);
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn body_changes_fall_back_to_property_rules() {
        let id = |direction, root, at_root, suffixes| {
            schema_rule(direction, root, at_root, suffixes).map(|rule| rule.id)
        };
        use Direction::{Request, Response};
        assert_eq!(
            id(Request, Root::Body, true, &["enum-value-added"]),
            Some("request-property-enum-value-added")
        );
        assert_eq!(
            id(Response, Root::Body, true, &["enum-value-removed"]),
            Some("response-mediatype-enum-value-removed")
        );
        assert_eq!(
            id(
                Request,
                Root::Parameter,
                true,
                &["max-items-set", "max-items-decreased"]
            ),
            Some("request-parameter-max-items-decreased")
        );
        assert_eq!(
            id(Response, Root::Body, false, &["max-length-decreased"]),
            None
        );
    }
}
