//! `mlplay serve`: a small static file server for the built site, so nothing outside the
//! project is needed to try it. GET and HEAD only, never outside the folder, one thread
//! per connection and `Connection: close`, so a browser's parallel requests never queue
//! behind an idle keep-alive connection.
//!
//! It sends the two headers that make the page cross-origin isolated (COOP and COEP), which
//! the browser requires before it lets the core's worker threads share memory. Static hosts
//! that cannot send them get the single-thread build; `--no-isolation` serves that way.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use clap::Args;
use mlplay::{Error, Result};

/// Request heads larger than this are refused.
const MAX_HEAD_BYTES: usize = 16 * 1024;

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
    /// Leave out the isolation headers, as most static hosts do: the page then runs on one
    /// thread.
    #[arg(long)]
    no_isolation: bool,
}

pub fn serve(a: ServeArgs) -> Result<()> {
    let root = a.dir.canonicalize().map_err(|e| Error::Io(format!("cannot serve {}: {e}", a.dir.display())))?;
    let listener = TcpListener::bind((a.host.as_str(), a.port))
        .map_err(|e| Error::Io(format!("cannot listen on {}:{}: {e}", a.host, a.port)))?;
    println!("serving {} at http://{}:{}/", root.display(), a.host, a.port);
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        let isolate = !a.no_isolation;
        std::thread::spawn(move || {
            if let Err(e) = handle(stream, &root, isolate) {
                eprintln!("serve: {e}");
            }
        });
    }
    Ok(())
}

fn handle(stream: TcpStream, root: &Path, isolate: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read (and ignore) the headers up to the blank line.
    let mut head = request_line.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        head += n;
        if n == 0 || line == "\r\n" || line == "\n" || head > MAX_HEAD_BYTES {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, url) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut out = Reply { stream, isolate };
    if head > MAX_HEAD_BYTES {
        return respond(&mut out, 431, "text/plain; charset=utf-8", b"request too large", false);
    }
    match method {
        "GET" | "HEAD" => match resolve(root, url).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            Some((path, body)) => respond(&mut out, 200, mime_type(&path), &body, method == "HEAD"),
            None => respond(&mut out, 404, "text/plain; charset=utf-8", b"not found", method == "HEAD"),
        },
        _ => respond(&mut out, 405, "text/plain; charset=utf-8", b"only GET and HEAD", false),
    }
}

struct Reply {
    stream: TcpStream,
    isolate: bool,
}

fn respond(out: &mut Reply, code: u16, mime: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Request Header Fields Too Large",
    };
    let isolation = if out.isolate {
        "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\n{isolation}Connection: close\r\n\r\n",
        body.len()
    );
    out.stream.write_all(head.as_bytes())?;
    if !head_only {
        out.stream.write_all(body)?;
    }
    out.stream.flush()
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
