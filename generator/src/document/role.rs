//! What a node of an OpenAPI document is, from where it sits: `paths/{p}/get` is an operation,
//! `…/content/{media}/schema` a schema, `…/example` data. The bundler decides from it what a
//! `$ref` to another file brings in (a schema becomes a component, prose is read as text),
//! and validation which keywords to check and where `$ref`s are meant as references at all.

use super::Dialect;

/// The kind of a node, decided by its parent's kind and its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Document,
    Info,
    Tags,
    Tag,
    Servers,
    Server,
    Paths,
    PathItem,
    /// A map of path items: `webhooks`, `components/pathItems`, a callback.
    PathItems,
    Operation,
    /// 3.2 `additionalOperations`: method to operation.
    Operations,
    Parameters,
    Parameter,
    RequestBody,
    RequestBodies,
    Responses,
    Response,
    Content,
    MediaType,
    MediaTypes,
    Encodings,
    Encoding,
    Headers,
    Header,
    Schema,
    /// A map of schemas: `properties`, `$defs`, `components/schemas`, `definitions`.
    Schemas,
    /// A list of schemas: `allOf`, `prefixItems`, …
    SchemaList,
    Examples,
    Example,
    Links,
    Link,
    Callbacks,
    Components,
    SecuritySchemes,
    SecurityScheme,
    /// Prose (`description`, `summary`): a `$ref` here may name a Markdown file.
    Text,
    /// Values given as data (`example`, `default`, `enum`, `x-…`): a `$ref` inside is data.
    Data,
    /// Anything else: walked, but nothing in it is typed.
    Other,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

impl Role {
    /// The role of the value under `key` of a node with this role. `key` is the decimal index
    /// for list items.
    pub fn child(self, key: &str, dialect: Dialect) -> Role {
        use Role::*;
        let swagger = dialect == Dialect::Swagger2;
        // Maps and lists are keyed by the user's names (a header may be called `x-rate`, a
        // property `description`); only objects with fixed fields have extensions and prose.
        if self.has_fixed_fields() {
            if key.starts_with("x-") {
                return Data;
            }
            if matches!(key, "description" | "summary") {
                return Text;
            }
        }
        match self {
            Document => match key {
                "info" => Info,
                "tags" => Tags,
                "servers" => Servers,
                "paths" => Paths,
                "webhooks" => PathItems,
                "components" => Components,
                "definitions" if swagger => Schemas,
                "parameters" if swagger => Parameters,
                "responses" if swagger => Responses,
                "securityDefinitions" if swagger => SecuritySchemes,
                _ => Other,
            },
            Tags => Tag,
            Servers => Server,
            Paths if key.starts_with("x-") => Data,
            Paths => PathItem,
            PathItems => PathItem,
            Callbacks => PathItems,
            PathItem => match key {
                method if METHODS.contains(&method) => Operation,
                "additionalOperations" => Operations,
                "parameters" => Parameters,
                "servers" => Servers,
                _ => Other,
            },
            Operations => Operation,
            Operation => match key {
                "parameters" => Parameters,
                "requestBody" => RequestBody,
                "responses" => Responses,
                "callbacks" => Callbacks,
                "servers" => Servers,
                _ => Other,
            },
            Parameters => Parameter,
            // A header object is a parameter object without `name` and `in`.
            Parameter | Header => match key {
                "schema" => Schema,
                "content" => Content,
                "examples" if !swagger => Examples,
                "items" if swagger => Schema,
                "example" | "default" | "enum" | "examples" => Data,
                _ => Other,
            },
            RequestBodies => RequestBody,
            RequestBody => match key {
                "content" => Content,
                _ => Other,
            },
            Responses if key.starts_with("x-") => Data,
            Responses => Response,
            Response => match key {
                "headers" => Headers,
                "content" => Content,
                "links" => Links,
                "schema" if swagger => Schema,
                "examples" if swagger => Data,
                _ => Other,
            },
            Content | MediaTypes => MediaType,
            MediaType => match key {
                "schema" | "itemSchema" => Schema,
                "examples" => Examples,
                "encoding" => Encodings,
                "example" => Data,
                _ => Other,
            },
            Encodings => Encoding,
            Encoding => match key {
                "headers" => Headers,
                _ => Other,
            },
            Headers => Header,
            Examples => Example,
            Example => match key {
                "value" | "dataValue" => Data,
                _ => Other,
            },
            Links => Link,
            Components => match key {
                "schemas" => Schemas,
                "responses" => Responses,
                "parameters" => Parameters,
                "examples" => Examples,
                "requestBodies" => RequestBodies,
                "headers" => Headers,
                "securitySchemes" => SecuritySchemes,
                "links" => Links,
                "callbacks" => Callbacks,
                "pathItems" => PathItems,
                "mediaTypes" => MediaTypes,
                _ => Other,
            },
            SecuritySchemes => SecurityScheme,
            SecurityScheme => Other,
            Schemas => Schema,
            SchemaList => Schema,
            Schema => match key {
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => Schemas,
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => SchemaList,
                // `items` as a list is draft-04's tuple form; the walk treats both alike.
                key if is_subschema_keyword(key) => Schema,
                "example" | "examples" | "default" | "enum" | "const" | "discriminator" | "xml"
                | "externalDocs" => Data,
                _ => Data,
            },
            Other => Other,
            Info | Tag | Server | Link | Text | Data => Data,
        }
    }

    /// Objects whose keys are the specification's (and `x-` extensions), not user names.
    fn has_fixed_fields(self) -> bool {
        use Role::*;
        matches!(
            self,
            Document
                | Info
                | Tag
                | Server
                | PathItem
                | Operation
                | Parameter
                | RequestBody
                | Response
                | MediaType
                | Encoding
                | Header
                | Schema
                | Example
                | Link
                | Components
                | SecurityScheme
                | Other
        )
    }

    /// Where the bundler puts a component of this role brought in from another file.
    pub fn component_section(self, dialect: Dialect) -> Option<&'static str> {
        let swagger = dialect == Dialect::Swagger2;
        Some(match self {
            Role::Schema if swagger => "definitions",
            Role::Parameter if swagger => "parameters",
            Role::Response if swagger => "responses",
            Role::Schema => "schemas",
            Role::Parameter => "parameters",
            Role::Response => "responses",
            Role::RequestBody => "requestBodies",
            Role::Header => "headers",
            Role::Example => "examples",
            Role::Link => "links",
            Role::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }
}

/// The schema keywords whose value is one subschema (`items` and `additionalItems` also in
/// their older list and boolean forms).
const SUBSCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];

/// Whether a schema keyword's value is one subschema.
pub fn is_subschema_keyword(key: &str) -> bool {
    SUBSCHEMA_KEYWORDS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_of(pointer: &[&str], dialect: Dialect) -> Role {
        pointer
            .iter()
            .fold(Role::Document, |role, key| role.child(key, dialect))
    }

    #[test]
    fn roles_follow_the_structure() {
        let d = Dialect::OpenApi30;
        assert_eq!(
            role_of(
                &[
                    "paths",
                    "/a",
                    "get",
                    "responses",
                    "200",
                    "content",
                    "application/json",
                    "schema"
                ],
                d
            ),
            Role::Schema
        );
        assert_eq!(
            role_of(&["paths", "/a", "get", "parameters", "0"], d),
            Role::Parameter
        );
        assert_eq!(
            role_of(
                &["components", "schemas", "A", "properties", "b", "items"],
                d
            ),
            Role::Schema
        );
        assert_eq!(
            role_of(
                &["components", "schemas", "A", "properties", "description"],
                d
            ),
            Role::Schema
        );
        assert_eq!(
            role_of(&["components", "schemas", "A", "description"], d),
            Role::Text
        );
        assert_eq!(
            role_of(&["components", "schemas", "A", "example", "x"], d),
            Role::Data
        );
        assert_eq!(role_of(&["info", "description"], d), Role::Text);
        assert_eq!(role_of(&["paths", "/a", "x-extra"], d), Role::Data);
        assert_eq!(
            role_of(&["definitions", "A"], Dialect::Swagger2),
            Role::Schema
        );
        assert_eq!(
            role_of(
                &["paths", "/a", "get", "responses", "200", "schema"],
                Dialect::Swagger2
            ),
            Role::Schema
        );
        assert_eq!(
            role_of(
                &["webhooks", "ping", "post", "requestBody"],
                Dialect::OpenApi31
            ),
            Role::RequestBody
        );
    }
}
