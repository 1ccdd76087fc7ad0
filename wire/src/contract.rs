//! The typed wire contract of an API (`contract.json`): per operation what may cross the wire,
//! with every schema in JSON Schema 2020-12 (references into [`Contract::defs`]). The
//! generator builds it from its IR; the runtime's validation layer and conformance kit read it.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Location, PathTemplate, Status, Style};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub servers: Vec<String>,
    #[serde(default)]
    pub security_schemes: IndexMap<String, SecurityScheme>,
    pub operations: Vec<Operation>,
    /// Every schema a `$ref` names: components by name, other schemas by their pointer.
    #[serde(rename = "$defs", default)]
    pub defs: Map<String, Value>,
}

/// Only what is needed to place or find a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SecurityScheme {
    #[serde(rename = "apiKey")]
    ApiKey {
        #[serde(rename = "in")]
        location: ApiKeyLocation,
        name: String,
    },
    #[serde(rename = "http")]
    Http {
        /// Lower-cased: `basic`, `bearer`, `digest`, ...
        scheme: String,
    },
    #[serde(rename = "oauth2")]
    OAuth2,
    #[serde(rename = "openIdConnect")]
    OpenIdConnect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyLocation {
    Query,
    Header,
    Cookie,
}

impl ApiKeyLocation {
    /// The spec's name of the location (`in:`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKeyLocation::Query => "query",
            ApiKeyLocation::Header => "header",
            ApiKeyLocation::Cookie => "cookie",
        }
    }
}

impl SecurityScheme {
    /// The HTTP authentication scheme a request names in `Authorization` for this scheme
    /// (`bearer` for OAuth2 and OpenID Connect access tokens); `None` for API keys.
    pub fn authorization_scheme(&self) -> Option<&str> {
        match self {
            SecurityScheme::Http { scheme } => Some(scheme),
            SecurityScheme::OAuth2 | SecurityScheme::OpenIdConnect => Some("bearer"),
            SecurityScheme::ApiKey { .. } => None,
        }
    }
}

/// One operation as it appears on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The operationId.
    pub id: String,
    /// As sent: `GET`, or an extension method such as `QUERY`.
    pub method: String,
    /// Relative to the server's base path.
    pub path: PathTemplate,
    /// Alternatives; each names the schemes that must all be present. Empty: no security. An
    /// empty alternative: credentials are optional.
    #[serde(default)]
    pub security: Vec<Vec<String>>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub request_body: Option<Body>,
    #[serde(default)]
    pub responses: Vec<Response>,
}

impl Operation {
    /// Whether a request needs credentials at all.
    pub fn requires_credentials(&self) -> bool {
        !self.security.is_empty()
            && self
                .security
                .iter()
                .all(|alternative| !alternative.is_empty())
    }

    /// The documented response for a status, with its position in `responses`: the exact
    /// code, else its range, else `default`.
    pub fn response_for(&self, code: u16) -> Option<(usize, &Response)> {
        self.responses
            .iter()
            .enumerate()
            .filter(|(_, response)| response.status.covers(code))
            .min_by_key(|(_, response)| response.status.precedence())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    #[serde(default)]
    pub required: bool,
    pub style: Style,
    pub explode: bool,
    pub schema: Value,
    #[serde(default)]
    pub examples: Vec<Value>,
    /// Set when the parameter is given as `content`: its value is this media type's text
    /// (JSON, in practice) instead of a style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    #[serde(default)]
    pub required: bool,
    pub content: Vec<Media>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Media {
    pub media_type: String,
    pub schema: Value,
    #[serde(default)]
    pub examples: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub status: Status,
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub content: Vec<Media>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    pub schema: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_contract_reads_and_writes_its_json() {
        let text = json!({
            "title": "t", "version": "1", "servers": ["/v1"],
            "security_schemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "bearer": {"type": "http", "scheme": "bearer"},
                "oauth": {"type": "oauth2"}
            },
            "operations": [{
                "id": "getThing", "method": "GET", "path": "/things/{id}",
                "security": [["key"], []],
                "parameters": [{"name": "id", "in": "path", "required": true, "style": "simple", "explode": false, "schema": {"type": "string"}, "examples": []}],
                "request_body": null,
                "responses": [{"status": "2XX", "headers": [], "content": []}, {"status": "default", "headers": [], "content": []}]
            }],
            "$defs": {}
        });
        let contract: Contract = serde_json::from_value(text.clone()).unwrap();
        let operation = &contract.operations[0];
        assert_eq!(operation.path.parameter_names().collect::<Vec<_>>(), ["id"]);
        assert!(!operation.requires_credentials());
        assert_eq!(
            operation.response_for(204).map(|(_, r)| r.status),
            Some(Status::Range(2))
        );
        assert_eq!(
            operation.response_for(500).map(|(_, r)| r.status),
            Some(Status::Default)
        );
        assert_eq!(
            contract.security_schemes["oauth"].authorization_scheme(),
            Some("bearer")
        );
        assert_eq!(serde_json::to_value(&contract).unwrap(), text);
    }
}
