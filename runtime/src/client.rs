//! What generated reqwest clients call: URL and header building, and response decoding whose
//! errors name the status, the media type and the JSON path that failed.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::params::{Encoded, Layout, Location, Style};

/// Everything that can go wrong calling an operation.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The request could not be sent or the response not received.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered with a status the spec does not document for this operation.
    #[error("unexpected status {status}")]
    UnexpectedStatus {
        status: StatusCode,
        /// Boxed to keep `Result<_, ClientError>` small.
        headers: Box<HeaderMap>,
        body: Bytes,
    },
    /// The response body did not match the documented schema.
    #[error("cannot decode the {status} response ({media_type}) at `{path}`: {message}")]
    Decode {
        status: StatusCode,
        media_type: String,
        /// JSON path of the value that failed, `.` for the whole body.
        path: String,
        message: String,
        body: Bytes,
    },
    /// A documented response header was missing or malformed.
    #[error("response header `{name}` of the {status} response: {message}")]
    Header {
        status: StatusCode,
        name: String,
        message: String,
    },
    /// A parameter could not be put on the wire.
    #[error("cannot encode parameter `{name}`: {message}")]
    Encode { name: String, message: String },
}

/// A method the `http` crate has no constant for (OpenAPI 3.2's `QUERY`, or one of an
/// operation's `additionalOperations`), by name.
pub fn method(name: &'static str) -> Result<reqwest::Method, ClientError> {
    reqwest::Method::from_bytes(name.as_bytes()).map_err(|err| ClientError::Encode {
        name: "method".to_string(),
        message: format!("`{name}`: {err}"),
    })
}

/// `Authorization: <scheme> <credentials>` for an HTTP authentication scheme other than basic
/// and bearer (which reqwest has builders for).
pub fn authorization(
    request: reqwest::RequestBuilder,
    scheme: &str,
    credentials: &str,
) -> Result<reqwest::RequestBuilder, ClientError> {
    // The message never quotes the credentials.
    let mut value =
        http::HeaderValue::from_str(&format!("{scheme} {credentials}")).map_err(|_| {
            ClientError::Encode {
                name: "Authorization".to_string(),
                message: format!("the {scheme} credentials hold characters a header cannot carry"),
            }
        })?;
    value.set_sensitive(true);
    Ok(request.header(http::header::AUTHORIZATION, value))
}

/// What placing a parameter in a request gives: an error only when its value cannot be put
/// in JSON form (a map with non-string keys).
pub type Sent = Result<(), ClientError>;

/// A request being assembled: the path, and each parameter already laid out by the codec
/// (`crate::params`) the generated servers decode with.
pub struct RequestParts {
    pub path: String,
    /// Percent-encoded pairs.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Percent-encoded where a cookie cannot hold a character.
    pub cookies: Vec<(String, String)>,
}

impl RequestParts {
    pub fn new() -> Self {
        Self {
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
        }
    }

    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    fn place(&mut self, name: &str, encoded: Encoded) {
        match encoded {
            Encoded::Path(text) => self.path.push_str(&text),
            Encoded::Query(pairs) => self.query.extend(pairs),
            Encoded::Header(text) => self.headers.push((name.to_string(), text)),
            Encoded::Cookie(text) => self.cookies.push((name.to_string(), text)),
        }
    }

    fn parameter(&mut self, name: &str, layout: Layout, value: &impl Serialize) -> Sent {
        let value =
            crate::params::to_value(value).map_err(|message| encode_error(name, message))?;
        self.place(name, crate::params::encode(name, layout, &value));
        Ok(())
    }

    /// A path parameter in its style, in place of its `{name}`.
    pub fn path(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: Style,
        explode: bool,
    ) -> Sent {
        self.parameter(name, Layout::new(Location::Path, style, explode), value)
    }

    pub fn query(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: Style,
        explode: bool,
    ) -> Sent {
        self.parameter(name, Layout::new(Location::Query, style, explode), value)
    }

    /// Headers are always `simple`.
    pub fn header(&mut self, name: &str, value: &impl Serialize, explode: bool) -> Sent {
        let layout = Layout::new(Location::Header, Style::Simple, explode);
        self.parameter(name, layout, value)
    }

    /// Cookies are always `form`.
    pub fn cookie(&mut self, name: &str, value: &impl Serialize, explode: bool) -> Sent {
        let layout = Layout::new(Location::Cookie, Style::Form, explode);
        self.parameter(name, layout, value)
    }

    /// A parameter given as `content` with a JSON media type: its JSON text, placed where
    /// its location says.
    pub fn json(
        &mut self,
        location: Location,
        name: &str,
        value: &impl Serialize,
    ) -> Result<(), ClientError> {
        let text =
            serde_json::to_string(value).map_err(|err| encode_error(name, err.to_string()))?;
        self.place(name, crate::params::encode_text(name, location, &text));
        Ok(())
    }

    /// The reqwest request for `base_url` + the assembled path, with query, headers and cookies.
    pub fn build(
        self,
        http: &reqwest::Client,
        method: reqwest::Method,
        base_url: &str,
    ) -> reqwest::RequestBuilder {
        let mut url = format!("{}{}", base_url.trim_end_matches('/'), self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&crate::params::query_string(&self.query));
        }
        let mut request = http.request(method, url);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(http::header::COOKIE, cookie);
        }
        request
    }
}

impl Default for RequestParts {
    fn default() -> Self {
        Self::new()
    }
}

fn encode_error(name: &str, message: String) -> ClientError {
    ClientError::Encode {
        name: name.to_string(),
        message,
    }
}

/// Serialises a JSON body; the media type is the documented one (vendor `+json` included).
pub fn json_body(
    request: reqwest::RequestBuilder,
    media_type: &str,
    body: &impl Serialize,
) -> Result<reqwest::RequestBuilder, ClientError> {
    let bytes = serde_json::to_vec(body).map_err(|err| encode_error("body", err.to_string()))?;
    Ok(request
        .header(http::header::CONTENT_TYPE, media_type)
        .body(bytes))
}

pub fn form_body(
    request: reqwest::RequestBuilder,
    media_type: &str,
    body: &impl Serialize,
) -> Result<reqwest::RequestBuilder, ClientError> {
    let text =
        serde_urlencoded::to_string(body).map_err(|err| encode_error("body", err.to_string()))?;
    Ok(request
        .header(http::header::CONTENT_TYPE, media_type)
        .body(text))
}

pub fn raw_body(
    request: reqwest::RequestBuilder,
    media_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::RequestBuilder {
    request
        .header(http::header::CONTENT_TYPE, media_type)
        .body(body)
}

/// A received response, read whole.
pub struct Received {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub async fn read(response: reqwest::Response) -> Result<Self, ClientError> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    pub fn media_type(&self) -> String {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// The media type's essence (`application/json`), for choosing between documented types.
    pub fn essence(&self) -> String {
        contract_wire::media::essence(&self.media_type()).unwrap_or_default()
    }

    /// Which of the documented media types (or ranges, `text/*`) the response carries: an
    /// exact one first, else the most specific range.
    pub fn media_index(&self, documented: &[&str]) -> Option<usize> {
        contract_wire::media::best_match(documented.iter().copied(), &self.media_type())
    }

    /// Checks that the response carries the documented media type (compared by essence; a
    /// documented range such as `text/*` admits any of its types).
    pub fn expect_media_type(&self, documented: &str) -> Result<(), ClientError> {
        if contract_wire::media::matches(documented, &self.media_type()) {
            return Ok(());
        }
        let documented =
            contract_wire::media::essence(documented).unwrap_or_else(|| documented.to_string());
        let sent = self.essence();
        Err(ClientError::Decode {
            status: self.status,
            media_type: self.media_type(),
            path: ".".into(),
            message: format!(
                "the spec documents `{documented}` for this response, the server sent `{sent}`"
            ),
            body: self.body.clone(),
        })
    }

    pub fn form<T: DeserializeOwned>(&self, documented: &str) -> Result<T, ClientError> {
        self.expect_media_type(documented)?;
        serde_urlencoded::from_bytes(&self.body).map_err(|err| ClientError::Decode {
            status: self.status,
            media_type: self.media_type(),
            path: ".".into(),
            message: err.to_string(),
            body: self.body.clone(),
        })
    }

    pub fn json<T: DeserializeOwned>(&self, documented: &str) -> Result<T, ClientError> {
        self.expect_media_type(documented)?;
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| ClientError::Decode {
            status: self.status,
            media_type: self.media_type(),
            path: err.path().to_string(),
            message: err.inner().to_string(),
            body: self.body.clone(),
        })
    }

    pub fn text(&self, documented: &str) -> Result<String, ClientError> {
        self.expect_media_type(documented)?;
        String::from_utf8(self.body.to_vec()).map_err(|err| ClientError::Decode {
            status: self.status,
            media_type: self.media_type(),
            path: ".".into(),
            message: err.to_string(),
            body: self.body.clone(),
        })
    }

    pub fn bytes(&self, documented: &str) -> Result<Vec<u8>, ClientError> {
        self.expect_media_type(documented)?;
        Ok(self.body.to_vec())
    }

    /// A documented response header, parsed to its type.
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ClientError> {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|err| self.header_error(name, err.to_string()))?;
        crate::params::Raw::from_header(
            name,
            Layout::new(Location::Header, Style::Simple, false),
            &[text],
        )
        .parse()
        .map(Some)
        .map_err(|message| self.header_error(name, message))
    }

    pub fn required_header<T: DeserializeOwned>(&self, name: &str) -> Result<T, ClientError> {
        self.header(name)?
            .ok_or_else(|| self.header_error(name, "is missing".into()))
    }

    fn header_error(&self, name: &str, message: String) -> ClientError {
        ClientError::Header {
            status: self.status,
            name: name.to_string(),
            message,
        }
    }

    /// The error for a status the operation does not document.
    pub fn unexpected(self) -> ClientError {
        ClientError::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: self.body,
        }
    }
}
