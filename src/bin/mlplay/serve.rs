//! `mlplay serve`: a small static file server for the built site, so nothing outside the
//! project is needed to try it. Serves GET/HEAD only, never outside the folder.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use mlplay::{Error, Result};
use tiny_http::{Header, Method, Request, Response, Server};

#[derive(Args)]
pub struct ServeArgs {
    /// The folder to serve (the built site).
    #[arg(default_value = "site")]
    dir: PathBuf,
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on; the default keeps the server private to this machine.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
}

pub fn serve(a: ServeArgs) -> Result<()> {
    let root = a.dir.canonicalize().map_err(|e| Error::Io(format!("cannot serve {}: {e}", a.dir.display())))?;
    let server = Server::http((a.host.as_str(), a.port))
        .map_err(|e| Error::Io(format!("cannot listen on {}:{}: {e}", a.host, a.port)))?;
    println!("serving {} at http://{}:{}/", root.display(), a.host, a.port);
    let server = Arc::new(server);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, root) = (server.clone(), root.clone());
            std::thread::spawn(move || {
                for req in server.incoming_requests() {
                    respond(req, &root);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

fn respond(req: Request, root: &Path) {
    let result = match req.method() {
        Method::Get | Method::Head => match resolve(root, req.url()) {
            Some(path) => match std::fs::read(&path) {
                Ok(body) => {
                    let head = *req.method() == Method::Head;
                    let len = body.len();
                    let mut resp = Response::from_data(if head { Vec::new() } else { body })
                        .with_header(header("Content-Type", mime_type(&path)))
                        .with_header(header("Cache-Control", "no-cache"))
                        .with_header(header("X-Content-Type-Options", "nosniff"));
                    if head {
                        resp = resp.with_header(header("Content-Length", &len.to_string()));
                    }
                    req.respond(resp)
                }
                Err(_) => req.respond(text(404, "not found")),
            },
            None => req.respond(text(404, "not found")),
        },
        _ => req.respond(text(405, "only GET and HEAD")),
    };
    if let Err(e) = result {
        eprintln!("serve: {e}");
    }
}

fn text(code: u16, msg: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(msg).with_status_code(code).with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The file a URL path names, if it is inside `root`: query and fragment dropped,
/// percent-escapes decoded, `..` and absolute parts refused, folders mapped to index.html.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    // Symbolic links could still point outside; check the real path.
    let real = out.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('\0'))
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inside_the_root() {
        let dir = std::env::temp_dir().join(format!("mlplay-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("www")).unwrap();
        std::fs::write(dir.join("index.html"), "hi").unwrap();
        std::fs::write(dir.join("www/a b.js"), "x").unwrap();
        let root = dir.canonicalize().unwrap();
        assert_eq!(resolve(&root, "/").unwrap(), root.join("index.html"));
        assert_eq!(resolve(&root, "/?embed#v1.x").unwrap(), root.join("index.html"));
        assert_eq!(resolve(&root, "/www/a%20b.js").unwrap(), root.join("www/a b.js"));
        for bad in ["/../etc/passwd", "/www/../../etc/passwd", "/%2e%2e/etc/passwd", "/missing.js", "/%zz"] {
            assert_eq!(resolve(&root, bad), None, "{bad}");
        }
        assert_eq!(mime_type(Path::new("x.wasm")), "application/wasm");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
