//! The bytes on the wire. hyper answers a request it cannot parse by itself (400 for a bad
//! request line or header, 414 for a URI too long, 431 for headers too large) before any
//! handler sees it, so those answers miss the headers the router adds to every other one.
//! `Hardened` wraps a connection and adds the security headers to such an answer as it is
//! written. It recognises one only at the start of a write (hyper writes a response's head
//! in one piece from its buffer, and `Hardened` does not accept vectored writes) and only if
//! the head is hyper's own: one of those three statuses with no security policy header.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The headers every answer carries, the router's and hyper's own alike.
pub(crate) const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("content-security-policy", super::CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cache-control", "no-store"),
];

/// A connection whose automatic error answers get the security headers.
pub(crate) struct Hardened<S> {
    inner: S,
    /// A rewritten answer not yet written in full.
    pending: Vec<u8>,
    sent: usize,
}

impl<S> Hardened<S> {
    pub(crate) fn new(inner: S) -> Hardened<S> {
        Hardened {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<S: AsyncWrite + Unpin> Hardened<S> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Hardened<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Hardened<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if let Some(answer) = with_security_headers(buf) {
            this.pending = answer;
            // What cannot be written now is written before the next write, flush or close.
            if let Poll::Ready(Err(e)) = this.poll_pending(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// hyper's own error answer at the start of `buf`, with the security headers added after
/// its status line; `None` for anything else.
fn with_security_headers(buf: &[u8]) -> Option<Vec<u8>> {
    let status = buf
        .strip_prefix(b"HTTP/1.1 ")
        .or(buf.strip_prefix(b"HTTP/1.0 "))?;
    if !matches!(status.get(..4)?, b"400 " | b"414 " | b"431 ") {
        return None;
    }
    // The head: hyper's error answers are a few short lines.
    let head_end = buf.windows(4).take(1024).position(|w| w == b"\r\n\r\n")?;
    let head = buf[..head_end].to_ascii_lowercase();
    if head.windows(23).any(|w| w == b"content-security-policy") {
        return None;
    }
    let line_end = buf.windows(2).position(|w| w == b"\r\n")? + 2;
    let mut out = Vec::with_capacity(buf.len() + 512);
    out.extend_from_slice(&buf[..line_end]);
    for (name, value) in SECURITY_HEADERS {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(&buf[line_end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_own_error_answers_are_rewritten() {
        let hyper =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out =
            String::from_utf8(with_security_headers(hyper).expect("rewritten")).expect("text");
        assert!(out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-security-policy: default-src 'self';"), "{out}");
        assert!(out.contains("\r\nx-frame-options: DENY\r\n"), "{out}");
        assert!(
            out.ends_with("content-length: 0\r\ndate: x\r\n\r\n"),
            "{out}"
        );
        // The router's answers already carry the headers; other statuses and bodies pass.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-security-policy: x\r\n\r\n";
        assert_eq!(with_security_headers(ours), None);
        assert_eq!(
            with_security_headers(b"HTTP/1.1 404 Not Found\r\n\r\n"),
            None
        );
        assert_eq!(with_security_headers(b"HTTP/1.1 400 no head end"), None);
        assert_eq!(with_security_headers(b"<html>HTTP/1.1 400 \r\n\r\n"), None);
    }

    #[tokio::test]
    async fn a_rewritten_answer_is_written_whole_even_a_byte_at_a_time() {
        use tokio::io::AsyncWriteExt;
        // A writer that takes one byte per call.
        struct Trickle(Vec<u8>);
        impl AsyncWrite for Trickle {
            fn poll_write(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                let this = self.get_mut();
                this.0.extend_from_slice(&buf[..buf.len().min(1)]);
                Poll::Ready(Ok(buf.len().min(1)))
            }
            fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(()))
            }
            fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(()))
            }
        }
        let mut conn = Hardened::new(Trickle(Vec::new()));
        conn.write_all(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n")
            .await
            .expect("write");
        conn.flush().await.expect("flush");
        let written = String::from_utf8(conn.inner.0.clone()).expect("text");
        assert!(
            written.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-security-policy:"),
            "{written}"
        );
        assert!(
            written.ends_with("cache-control: no-store\r\ncontent-length: 0\r\n\r\n"),
            "{written}"
        );
    }
}
