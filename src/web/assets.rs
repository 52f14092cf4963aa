//! The templates, translations' companions and static files, embedded in the binary with
//! `include_str!` / `include_bytes!` so that the one file runs anywhere, offline.

/// One embedded static file.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Path below `/static/`.
    pub path: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
    /// Its `Content-Type`.
    pub content_type: &'static str,
}

macro_rules! asset {
    ($path:literal, $content_type:literal) => {
        Asset {
            path: $path,
            bytes: include_bytes!(concat!("../../static/", $path)),
            content_type: $content_type,
        }
    };
}

/// Every file served under `/static/`.
pub const STATIC: &[Asset] = &[
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("vendor/htmx.min.js", "text/javascript; charset=utf-8"),
    asset!("vendor/htmx-LICENSE.txt", "text/plain; charset=utf-8"),
    asset!("fonts/Vazirmatn-Variable.woff2", "font/woff2"),
    asset!("fonts/Vazirmatn-OFL.txt", "text/plain; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
];

/// The static file at `path` (below `/static/`), if there is one.
pub fn static_file(path: &str) -> Option<&'static Asset> {
    STATIC.iter().find(|a| a.path == path)
}

macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../../templates/", $name)))
    };
}

/// Every web template, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    template!("base.html"),
    template!("macros.html"),
    template!("home.html"),
    template!("case.html"),
    template!("search.html"),
    template!("search_results.html"),
    template!("notebook.html"),
    template!("chapter.html"),
    template!("problems.html"),
    template!("calendar.html"),
    template!("crisis.html"),
    template!("error.html"),
    template!("new_case.html"),
    template!("digest.html"),
    template!("followups.html"),
    template!("login.html"),
    template!("history.html"),
];
