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
    ($($variant:ident $id:literal $level:ident $oasdiff:tt $description:literal;)*) => {
        /// Every rule by name: a finding names its rule with one of these, so a rule that is
        /// not in the table does not compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in table order.
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];
        }

        /// The table, in [`RuleId`] order.
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

// Columns: name, id, our level, oasdiff's level (`same`, another level, or `local` for a rule
// oasdiff does not have), description.
rules! {
    // Paths and operations
    EndpointAdded "endpoint-added" INFO same "an operation was added";
    ApiPathRemovedWithoutDeprecation "api-path-removed-without-deprecation" ERR same "a path was removed without being deprecated first";
    ApiPathRemovedWithDeprecation "api-path-removed-with-deprecation" INFO same "a deprecated path was removed";
    ApiRemovedWithoutDeprecation "api-removed-without-deprecation" ERR same "an operation was removed without being deprecated first";
    ApiRemovedWithDeprecation "api-removed-with-deprecation" INFO same "a deprecated operation was removed";
    EndpointDeprecated "endpoint-deprecated" INFO same "an operation was deprecated";
    EndpointReactivated "endpoint-reactivated" INFO same "an operation is no longer deprecated";
    ApiOperationIdRemoved "api-operation-id-removed" INFO same "an operationId was removed or changed";
    ApiOperationIdAdded "api-operation-id-added" INFO same "an operationId was added";
    ApiTagRemoved "api-tag-removed" INFO same "a tag was removed from an operation";
    ApiTagAdded "api-tag-added" INFO same "a tag was added to an operation";
    ApiSchemaRemoved "api-schema-removed" INFO same "a schema was removed from components/schemas";

    // Parameters
    NewRequiredRequestParameter "new-required-request-parameter" ERR same "a required parameter was added";
    NewOptionalRequestParameter "new-optional-request-parameter" INFO same "an optional parameter was added";
    RequestParameterRemoved "request-parameter-removed" WARN same "a parameter was removed";
    RequestParameterRemovedWithDeprecation "request-parameter-removed-with-deprecation" INFO same "a deprecated parameter was removed";
    RequestParameterInChanged "request-parameter-in-changed" ERR local "a parameter moved to another location (query, header, cookie)";
    RequestParameterRenamed "request-parameter-renamed" ERR local "a parameter was renamed (same location and schema)";
    RequestParameterBecameRequired "request-parameter-became-required" ERR same "a parameter became required";
    RequestParameterBecameOptional "request-parameter-became-optional" INFO same "a parameter became optional";
    RequestParameterDeprecated "request-parameter-deprecated" INFO same "a parameter was deprecated";
    RequestParameterReactivated "request-parameter-reactivated" INFO same "a parameter is no longer deprecated";
    RequestParameterTypeChanged "request-parameter-type-changed" ERR same "a parameter's type or format changed";
    RequestParameterTypeGeneralized "request-parameter-type-generalized" INFO same "a parameter's type or format was widened";
    RequestParameterBecameEnum "request-parameter-became-enum" ERR same "a parameter was restricted to a list of values";
    RequestParameterEnumValueRemoved "request-parameter-enum-value-removed" ERR same "a value was removed from a parameter's enum";
    RequestParameterEnumValueAdded "request-parameter-enum-value-added" INFO same "a value was added to a parameter's enum";
    RequestParameterMaxLengthDecreased "request-parameter-max-length-decreased" ERR same "a parameter's maxLength decreased";
    RequestParameterMaxLengthIncreased "request-parameter-max-length-increased" INFO same "a parameter's maxLength increased";
    RequestParameterMaxLengthSet "request-parameter-max-length-set" ERR same "a parameter got a maxLength";
    RequestParameterMinLengthIncreased "request-parameter-min-length-increased" ERR same "a parameter's minLength increased";
    RequestParameterMinLengthDecreased "request-parameter-min-length-decreased" INFO same "a parameter's minLength decreased";
    RequestParameterPatternAdded "request-parameter-pattern-added" ERR same "a parameter got a pattern";
    RequestParameterPatternRemoved "request-parameter-pattern-removed" INFO same "a parameter's pattern was removed";
    RequestParameterPatternChanged "request-parameter-pattern-changed" WARN same "a parameter's pattern changed";
    RequestParameterMinIncreased "request-parameter-min-increased" ERR same "a parameter's minimum increased";
    RequestParameterMinDecreased "request-parameter-min-decreased" INFO same "a parameter's minimum decreased";
    RequestParameterMinSet "request-parameter-min-set" ERR same "a parameter got a minimum";
    RequestParameterMaxDecreased "request-parameter-max-decreased" ERR same "a parameter's maximum decreased";
    RequestParameterMaxIncreased "request-parameter-max-increased" INFO same "a parameter's maximum increased";
    RequestParameterMaxSet "request-parameter-max-set" ERR same "a parameter got a maximum";
    RequestParameterMinItemsIncreased "request-parameter-min-items-increased" ERR same "a parameter's minItems increased";
    RequestParameterMinItemsDecreased "request-parameter-min-items-decreased" INFO same "a parameter's minItems decreased";
    RequestParameterMinItemsSet "request-parameter-min-items-set" ERR same "a parameter got a minItems";
    RequestParameterMaxItemsDecreased "request-parameter-max-items-decreased" ERR same "a parameter's maxItems decreased (or was set)";
    RequestParameterMaxItemsIncreased "request-parameter-max-items-increased" INFO same "a parameter's maxItems increased";
    RequestParameterBecameNullable "request-parameter-became-nullable" INFO same "a parameter became nullable";
    RequestParameterBecameNotNullable "request-parameter-became-not-nullable" ERR same "a parameter is no longer nullable";

    // Request bodies
    RequestBodyAddedRequired "request-body-added-required" ERR same "a required request body was added";
    RequestBodyAddedOptional "request-body-added-optional" INFO same "an optional request body was added";
    RequestBodyRemoved "request-body-removed" ERR same "the request body was removed";
    RequestBodyBecameRequired "request-body-became-required" ERR same "the request body became required";
    RequestBodyBecameOptional "request-body-became-optional" INFO same "the request body became optional";
    RequestBodyMediaTypeAdded "request-body-media-type-added" INFO same "a request body media type was added";
    RequestBodyMediaTypeRemoved "request-body-media-type-removed" ERR same "a request body media type was removed";
    RequestBodyTypeChanged "request-body-type-changed" ERR same "the request body's type or format changed";
    RequestBodyTypeGeneralized "request-body-type-generalized" INFO same "the request body's type or format was widened";
    RequestBodyBecameEnum "request-body-became-enum" ERR same "the request body was restricted to a list of values";
    RequestBodyEnumValueRemoved "request-body-enum-value-removed" ERR same "a value was removed from the request body's enum";
    RequestBodyMaxLengthDecreased "request-body-max-length-decreased" ERR same "the request body's maxLength decreased";
    RequestBodyMaxLengthIncreased "request-body-max-length-increased" INFO same "the request body's maxLength increased";
    RequestBodyMaxLengthSet "request-body-max-length-set" ERR same "the request body got a maxLength";
    RequestBodyMinLengthIncreased "request-body-min-length-increased" ERR same "the request body's minLength increased";
    RequestBodyMinLengthDecreased "request-body-min-length-decreased" INFO same "the request body's minLength decreased";
    RequestBodyMinIncreased "request-body-min-increased" ERR same "the request body's minimum increased";
    RequestBodyMinDecreased "request-body-min-decreased" INFO same "the request body's minimum decreased";
    RequestBodyMinSet "request-body-min-set" ERR same "the request body got a minimum";
    RequestBodyMaxDecreased "request-body-max-decreased" ERR same "the request body's maximum decreased";
    RequestBodyMaxIncreased "request-body-max-increased" INFO same "the request body's maximum increased";
    RequestBodyMaxSet "request-body-max-set" ERR same "the request body got a maximum";
    RequestBodyMinItemsIncreased "request-body-min-items-increased" ERR same "the request body's minItems increased";
    RequestBodyMinItemsSet "request-body-min-items-set" ERR same "the request body got a minItems";
    RequestBodyMaxItemsDecreased "request-body-max-items-decreased" ERR same "the request body's maxItems decreased";
    RequestBodyMaxItemsIncreased "request-body-max-items-increased" INFO same "the request body's maxItems increased";
    RequestBodyMaxItemsSet "request-body-max-items-set" ERR same "the request body got a maxItems";
    RequestBodyBecameNullable "request-body-became-nullable" INFO same "the request body became nullable";
    RequestBodyBecameNotNullable "request-body-became-not-nullable" ERR same "the request body is no longer nullable";
    RequestBodyOneOfAdded "request-body-one-of-added" INFO same "an alternative was added to the request body's oneOf";
    RequestBodyOneOfRemoved "request-body-one-of-removed" ERR same "an alternative was removed from the request body's oneOf";
    RequestBodyAnyOfAdded "request-body-any-of-added" INFO same "an alternative was added to the request body's anyOf";
    RequestBodyAnyOfRemoved "request-body-any-of-removed" ERR same "an alternative was removed from the request body's anyOf";

    // Request properties
    NewRequiredRequestProperty "new-required-request-property" ERR same "a required request property was added";
    NewOptionalRequestProperty "new-optional-request-property" INFO same "an optional request property was added";
    RequestPropertyRemoved "request-property-removed" WARN same "a request property was removed";
    RequestPropertyBecameRequired "request-property-became-required" ERR same "a request property became required";
    RequestPropertyBecameOptional "request-property-became-optional" INFO same "a request property became optional";
    RequestPropertyTypeChanged "request-property-type-changed" ERR same "a request property's type or format changed";
    RequestPropertyTypeGeneralized "request-property-type-generalized" INFO same "a request property's type or format was widened";
    RequestPropertyBecameEnum "request-property-became-enum" ERR same "a request property was restricted to a list of values";
    RequestPropertyEnumValueRemoved "request-property-enum-value-removed" ERR same "a value was removed from a request property's enum";
    RequestPropertyEnumValueAdded "request-property-enum-value-added" INFO same "a value was added to a request property's enum";
    RequestPropertyMaxLengthDecreased "request-property-max-length-decreased" ERR same "a request property's maxLength decreased";
    RequestPropertyMaxLengthIncreased "request-property-max-length-increased" INFO same "a request property's maxLength increased";
    RequestPropertyMaxLengthSet "request-property-max-length-set" ERR same "a request property got a maxLength";
    RequestPropertyMinLengthIncreased "request-property-min-length-increased" ERR same "a request property's minLength increased";
    RequestPropertyMinLengthDecreased "request-property-min-length-decreased" INFO same "a request property's minLength decreased";
    RequestPropertyPatternAdded "request-property-pattern-added" ERR same "a request property got a pattern";
    RequestPropertyPatternRemoved "request-property-pattern-removed" INFO same "a request property's pattern was removed";
    RequestPropertyPatternChanged "request-property-pattern-changed" WARN same "a request property's pattern changed";
    RequestPropertyMinIncreased "request-property-min-increased" ERR same "a request property's minimum increased";
    RequestPropertyMinDecreased "request-property-min-decreased" INFO same "a request property's minimum decreased";
    RequestPropertyMinSet "request-property-min-set" ERR same "a request property got a minimum";
    RequestPropertyMaxDecreased "request-property-max-decreased" ERR same "a request property's maximum decreased";
    RequestPropertyMaxIncreased "request-property-max-increased" INFO same "a request property's maximum increased";
    RequestPropertyMaxSet "request-property-max-set" ERR same "a request property got a maximum";
    RequestPropertyMinItemsIncreased "request-property-min-items-increased" ERR same "a request property's minItems increased";
    RequestPropertyMinItemsSet "request-property-min-items-set" ERR same "a request property got a minItems";
    RequestPropertyMaxItemsDecreased "request-property-max-items-decreased" ERR same "a request property's maxItems decreased";
    RequestPropertyMaxItemsIncreased "request-property-max-items-increased" INFO same "a request property's maxItems increased";
    RequestPropertyMaxItemsSet "request-property-max-items-set" ERR same "a request property got a maxItems";
    RequestPropertyBecameNullable "request-property-became-nullable" INFO same "a request property became nullable";
    RequestPropertyBecameNotNullable "request-property-became-not-nullable" ERR same "a request property is no longer nullable";
    RequestPropertyOneOfAdded "request-property-one-of-added" INFO same "an alternative was added to a request property's oneOf";
    RequestPropertyOneOfRemoved "request-property-one-of-removed" ERR same "an alternative was removed from a request property's oneOf";
    RequestPropertyAnyOfAdded "request-property-any-of-added" INFO same "an alternative was added to a request property's anyOf";
    RequestPropertyAnyOfRemoved "request-property-any-of-removed" ERR same "an alternative was removed from a request property's anyOf";

    // Responses
    ResponseSuccessStatusRemoved "response-success-status-removed" ERR same "a success (2xx) response status was removed";
    ResponseNonSuccessStatusRemoved "response-non-success-status-removed" INFO same "a non-success response status was removed";
    ResponseSuccessStatusAdded "response-success-status-added" INFO same "a success (2xx) response status was added";
    ResponseNonSuccessStatusAdded "response-non-success-status-added" INFO same "a non-success response status was added";
    ResponseMediaTypeRemoved "response-media-type-removed" ERR same "a response media type was removed";
    ResponseMediaTypeAdded "response-media-type-added" INFO same "a response media type was added";
    RequiredResponseHeaderRemoved "required-response-header-removed" ERR same "a required response header was removed";
    OptionalResponseHeaderRemoved "optional-response-header-removed" WARN same "an optional response header was removed";
    ResponseHeaderAdded "response-header-added" INFO same "a response header was added";
    ResponseHeaderBecameOptional "response-header-became-optional" ERR same "a response header became optional";
    ResponseBodyTypeChanged "response-body-type-changed" ERR same "the response body's type or format changed";
    ResponseBodyTypeSpecialized "response-body-type-specialized" INFO same "the response body's type or format was narrowed";
    ResponseBodyBecameNullable "response-body-became-nullable" ERR same "the response body became nullable";
    ResponseBodyBecameNotNullable "response-body-became-not-nullable" INFO same "the response body is no longer nullable";
    ResponseMediatypeEnumValueRemoved "response-mediatype-enum-value-removed" INFO same "a value was removed from the response body's enum";
    ResponseBodyMaxLengthIncreased "response-body-max-length-increased" ERR same "the response body's maxLength increased";
    ResponseBodyMaxLengthUnset "response-body-max-length-unset" ERR same "the response body's maxLength was removed";
    ResponseBodyMinLengthDecreased "response-body-min-length-decreased" ERR same "the response body's minLength decreased";
    ResponseBodyMinDecreased "response-body-min-decreased" ERR same "the response body's minimum decreased (or was removed)";
    ResponseBodyMaxIncreased "response-body-max-increased" ERR same "the response body's maximum increased (or was removed)";
    ResponseBodyMinItemsDecreased "response-body-min-items-decreased" ERR same "the response body's minItems decreased";
    ResponseBodyMinItemsUnset "response-body-min-items-unset" ERR same "the response body's minItems was removed";
    ResponseBodyMaxItemsIncreased "response-body-max-items-increased" ERR same "the response body's maxItems increased (or was removed)";
    ResponseBodyOneOfAdded "response-body-one-of-added" ERR same "an alternative was added to the response body's oneOf";
    ResponseBodyOneOfRemoved "response-body-one-of-removed" INFO same "an alternative was removed from the response body's oneOf";
    ResponseBodyAnyOfAdded "response-body-any-of-added" ERR same "an alternative was added to the response body's anyOf";
    ResponseBodyAnyOfRemoved "response-body-any-of-removed" INFO same "an alternative was removed from the response body's anyOf";

    // Response properties
    ResponseRequiredPropertyRemoved "response-required-property-removed" ERR same "a required response property was removed";
    ResponseOptionalPropertyRemoved "response-optional-property-removed" INFO same "an optional response property was removed";
    ResponseRequiredPropertyAdded "response-required-property-added" INFO same "a required response property was added";
    ResponseOptionalPropertyAdded "response-optional-property-added" INFO same "an optional response property was added";
    ResponsePropertyBecameOptional "response-property-became-optional" ERR same "a response property became optional";
    ResponsePropertyBecameRequired "response-property-became-required" INFO same "a response property became required";
    ResponsePropertyBecameNullable "response-property-became-nullable" ERR same "a response property became nullable";
    ResponsePropertyBecameNotNullable "response-property-became-not-nullable" INFO same "a response property is no longer nullable";
    ResponsePropertyTypeChanged "response-property-type-changed" ERR same "a response property's type or format changed";
    ResponsePropertyTypeSpecialized "response-property-type-specialized" INFO same "a response property's type or format was narrowed";
    ResponsePropertyEnumValueAdded "response-property-enum-value-added" WARN same "a value was added to a response property's enum";
    ResponsePropertyEnumValueRemoved "response-property-enum-value-removed" INFO same "a value was removed from a response property's enum";
    ResponsePropertyMaxLengthIncreased "response-property-max-length-increased" ERR same "a response property's maxLength increased";
    ResponsePropertyMaxLengthUnset "response-property-max-length-unset" ERR same "a response property's maxLength was removed";
    ResponsePropertyMinLengthDecreased "response-property-min-length-decreased" ERR same "a response property's minLength decreased";
    ResponsePropertyPatternAdded "response-property-pattern-added" INFO same "a response property got a pattern";
    ResponsePropertyPatternRemoved "response-property-pattern-removed" ERR same "a response property's pattern was removed";
    ResponsePropertyPatternChanged "response-property-pattern-changed" WARN same "a response property's pattern changed";
    ResponsePropertyMinDecreased "response-property-min-decreased" ERR same "a response property's minimum decreased (or was removed)";
    ResponsePropertyMaxIncreased "response-property-max-increased" ERR same "a response property's maximum increased (or was removed)";
    ResponsePropertyMinItemsDecreased "response-property-min-items-decreased" ERR same "a response property's minItems decreased";
    ResponsePropertyMinItemsUnset "response-property-min-items-unset" ERR same "a response property's minItems was removed";
    ResponsePropertyMaxItemsIncreased "response-property-max-items-increased" ERR same "a response property's maxItems increased (or was removed)";
    ResponsePropertyOneOfAdded "response-property-one-of-added" ERR same "an alternative was added to a response property's oneOf";
    ResponsePropertyOneOfRemoved "response-property-one-of-removed" INFO same "an alternative was removed from a response property's oneOf";
    ResponsePropertyAnyOfAdded "response-property-any-of-added" ERR same "an alternative was added to a response property's anyOf";
    ResponsePropertyAnyOfRemoved "response-property-any-of-removed" INFO same "an alternative was removed from a response property's anyOf";

    // Security
    ApiSecurityRemoved "api-security-removed" ERR same "a security alternative of an operation was removed";
    ApiSecurityAdded "api-security-added" INFO same "a security alternative was added to an operation";
    ApiSecurityScopeAdded "api-security-scope-added" ERR same "a scope is now required by an operation's security";
    ApiSecurityScopeRemoved "api-security-scope-removed" INFO same "a scope is no longer required by an operation's security";
    ApiGlobalSecurityRemoved "api-global-security-removed" ERR same "a global security alternative was removed";
    ApiGlobalSecurityAdded "api-global-security-added" INFO same "a global security alternative was added";
    ApiGlobalSecurityScopeAdded "api-global-security-scope-added" ERR same "a scope is now required by the global security";
    ApiGlobalSecurityScopeRemoved "api-global-security-scope-removed" INFO same "a scope is no longer required by the global security";
    ApiSecurityComponentAdded "api-security-component-added" INFO same "a security scheme was added to components";
    ApiSecurityComponentRemoved "api-security-component-removed" INFO same "a security scheme was removed from components";
    // oasdiff rates a scheme's type change INFO; a client that sends an API key cannot satisfy
    // a bearer scheme, so every operation using the scheme breaks.
    ApiSecurityComponentTypeChanged "api-security-component-type-changed" ERR INFO "a security scheme's type (or HTTP scheme) changed";
    ApiSecurityComponentApiKeyMoved "api-security-component-api-key-moved" ERR local "an API key scheme's `in` or `name` changed";
}

impl RuleId {
    /// This rule's row of the table.
    pub fn rule(self) -> &'static Rule {
        // The macro writes the enum and the table from one list, in one order.
        &RULES[self as usize]
    }
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
) -> Option<RuleId> {
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
            return Some(RuleId::ResponseMediatypeEnumValueRemoved);
        }
        families.iter().find_map(|family| {
            RuleId::ALL.iter().copied().find(|id| {
                id.rule()
                    .id
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
    fn every_name_is_its_row_of_the_table() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (position, id) in RuleId::ALL.iter().enumerate() {
            assert!(std::ptr::eq(id.rule(), &RULES[position]), "{id:?}");
            assert_eq!(find(id.rule().id).map(|rule| rule.id), Some(id.rule().id));
        }
    }

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
            schema_rule(direction, root, at_root, suffixes).map(|id| id.rule().id)
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
