//! Readable text of an HTML news page: the headline and paragraphs (`h1`–`h6`, `p`, `li`,
//! `blockquote`, `figcaption`), without scripts, styles, navigation, headers, footers, asides and
//! forms. Paragraphs are separated by blank lines; character references are decoded. The page's
//! canonical URL (or `og:url`) becomes the document's source, else the file path.

use super::ImportedDoc;
use std::path::Path;

const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template",
    "iframe", "button", "select",
];
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "pre",
];

/// Decode `&amp;`, `&#8220;`, `&#x2019;` and the common named references.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                Some(match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => ' ',
                    "mdash" => '—',
                    "ndash" => '–',
                    "hellip" => '…',
                    "lsquo" => '‘',
                    "rsquo" => '’',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "eacute" => 'é',
                    "copy" => '©',
                    _ => return None,
                })
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let i = lower.find(&format!("{name}="))?;
    let v = &tag[i + name.len() + 1..];
    let q = v.chars().next()?;
    let v = if q == '"' || q == '\'' {
        v[1..].split(q).next()?
    } else {
        v.split([' ', '>']).next()?
    };
    Some(decode_entities(v))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn read_html(html: &str, path: &Path, name: &str) -> ImportedDoc {
    let mut paras: Vec<String> = Vec::new();
    let mut all_text = String::new();
    let mut cur = String::new();
    let mut title = String::new();
    let mut in_title = false;
    let mut skip_depth = 0usize;
    let mut block_depth = 0usize;
    let mut source: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            let t = decode_entities(rest);
            if skip_depth == 0 {
                if block_depth > 0 {
                    cur.push_str(&t);
                }
                all_text.push_str(&t);
            }
            break;
        };
        let text = decode_entities(&rest[..lt]);
        if in_title {
            title.push_str(&text);
        } else if skip_depth == 0 {
            if block_depth > 0 {
                cur.push_str(&text);
            }
            all_text.push_str(&text);
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let tname: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match tname.as_str() {
            "title" => in_title = !closing,
            "link" if attr(tag, "rel").is_some_and(|r| r == "canonical") => {
                source = source.or(attr(tag, "href"))
            }
            "meta" if attr(tag, "property").is_some_and(|p| p == "og:url") => {
                source = source.or(attr(tag, "content"))
            }
            "br" if block_depth > 0 => cur.push(' '),
            t if SKIP.contains(&t) => {
                if closing {
                    skip_depth = skip_depth.saturating_sub(1);
                } else if !tag.ends_with('/') {
                    skip_depth += 1;
                }
            }
            t if BLOCKS.contains(&t) && skip_depth == 0 => {
                if closing {
                    block_depth = block_depth.saturating_sub(1);
                    if block_depth == 0 {
                        let p = collapse(&cur);
                        if !p.is_empty() {
                            paras.push(p);
                        }
                        cur.clear();
                    }
                } else {
                    block_depth += 1;
                }
                all_text.push(' ');
            }
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        paras.push(collapse(&cur));
    }
    if paras.is_empty() {
        let t = collapse(&all_text);
        if !t.is_empty() {
            paras.push(t);
        }
    }
    let title = collapse(&title);
    let text = paras.join("\n\n");
    ImportedDoc {
        name: name.to_string(),
        title: if title.is_empty() {
            crate::store::import::title_of(&text, name)
        } else {
            title
        },
        source: source.unwrap_or_else(|| path.display().to_string()),
        text,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_text_only() {
        let html = r#"<html><head><title>Xi &amp; Putin talk</title>
<link rel="canonical" href="https://example.com/xi-putin"><style>p{color:red}</style>
<script>var p = "<p>not this</p>";</script></head>
<body><nav><ul><li>Home</li><li>World</li></ul></nav>
<article><h1>Xi tells Putin &#8220;peace&#8221; talks</h1>
<p>BEIJING (Reuters) &ndash; Chinese President <b>Xi Jinping</b>
told Vladimir Putin&hellip;</p><!-- <p>comment</p> -->
<p>Second&nbsp;paragraph.</p></article>
<footer><p>Copyright</p></footer></body></html>"#;
        let d = read_html(html, Path::new("page.html"), "page");
        assert_eq!(d.title, "Xi & Putin talk");
        assert_eq!(d.source, "https://example.com/xi-putin");
        assert_eq!(
            d.text,
            "Xi tells Putin “peace” talks\n\nBEIJING (Reuters) – Chinese President Xi Jinping told Vladimir Putin…\n\nSecond paragraph."
        );
    }
}
