//! Readable text of an HTML news page, read with a real HTML5 parser (`scraper`, built on
//! `html5ever`): malformed markup and omitted end tags are repaired as a browser would, and
//! character references are decoded by the parser from the full HTML5 table (`&hellip;`,
//! `&eacute;`, `&nbsp;`, `&rsquo;`, `&#8220;` ...).
//!
//! **Kept**: the text of `h1`–`h6`, `p`, `li`, `blockquote`, `figcaption`, `pre` and `address`
//! blocks, and of bylines and datelines (`<time>`, and elements whose class or id has a `byline`
//! or `dateline` part) when not inside such a block; one paragraph per block. Paragraphs are
//! separated by a blank line (`"\n\n"`); whitespace inside a paragraph (`&nbsp;` and `<br>` too)
//! becomes single spaces. A block inside a block (`p` in `blockquote`, `li` in `li`) is a
//! paragraph of its own; no text is read twice.
//!
//! **Dropped**, with everything inside: `script`, `style`, `noscript`, `template`, `svg`,
//! `iframe`, `form`, `button`, `select`, `textarea`, `nav`, `header` (except inside an `article`,
//! where it holds the headline and byline), `footer`, `aside`; elements with a `hidden`
//! attribute, `aria-hidden="true"` or an inline `display:none`; and ad, promo and boilerplate
//! containers: elements whose class or id has a part (split at spaces, `-`, `_` and camelCase)
//! such as `ad`, `advert`, `promo`, `sponsored`, `newsletter`, `related`, `share`, `social`,
//! `cookie`, `subscribe`, `comments` (`ad-slot`, `ad_unit`, `related-stories` are dropped; `head`,
//! `shadow`, `load`, `badge` are not).
//!
//! **Content root**: the `article` with the most paragraph text, else `main`, else
//! `[role=main]`, else `body`: the first of these that gives a paragraph. If none does, the
//! document is all the visible text of the body as one paragraph.
//!
//! **Title**: `<title>`, else the first `h1`, else the first line of the text. **Source**: `<link
//! rel="canonical" href>`, else `<meta property="og:url" content>`, else the file path.
//!
//! Offsets into the resulting document are code points in the produced text; the positions in
//! the HTML source are not kept.

use super::ImportedDoc;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use std::path::Path;

// Word lists, separated by single spaces.
/// Elements dropped with everything inside them.
const SKIP: &str = "script style noscript template svg iframe form button select textarea nav \
                    header footer aside";
/// Elements whose text is a paragraph.
const BLOCKS: &str = "p h1 h2 h3 h4 h5 h6 li blockquote figcaption pre address";
/// Elements that do not separate words (every other element boundary is a space).
const INLINE: &str = "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q \
                      s samp small span strong sub sup time tt u var wbr";
/// Class or id parts of ad, promo and boilerplate containers.
const BOILERPLATE: &str = "ad ads advert adverts advertisement advertising promo promos \
    sponsored sponsor newsletter newsletters related share sharing social cookie cookies consent \
    subscribe subscription comments outbrain taboola";
/// Class or id parts of bylines and datelines: like `<time>`, a paragraph of their own unless
/// inside a block.
const BYLINE: &str = "byline bylines dateline";
/// Content roots, never dropped for their class or id (`<body class="has-ads">`).
const ROOTS: &str = "html body main article";

/// Is `word` in the space-separated `list`? (ASCII case-insensitive.)
fn listed(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w.eq_ignore_ascii_case(word))
}

/// Does the element's class or id have one of `words` as a part? Parts are split at spaces, `-`,
/// `_` and lower-to-upper case changes (`ad-slot`, `ad_unit`, `PromoLink` all have a part).
fn has_part(e: &Element, words: &str) -> bool {
    let parts = |v: &str| {
        let mut spaced = String::with_capacity(v.len() + 8);
        let mut lower = false;
        for c in v.chars() {
            if lower && c.is_ascii_uppercase() {
                spaced.push(' ');
            }
            lower = c.is_ascii_lowercase();
            spaced.push(if c == '-' || c == '_' { ' ' } else { c });
        }
        spaced.split_ascii_whitespace().any(|p| listed(words, p))
    };
    e.attr("class").is_some_and(parts) || e.id().is_some_and(parts)
}

fn hidden(e: &Element) -> bool {
    let style = e.attr("style").map(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        s.to_ascii_lowercase()
    });
    e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || style.is_some_and(|s| s.contains("display:none") || s.contains("visibility:hidden"))
}

/// Is the element left out with everything inside it? `in_article`: a `header` there is kept.
fn dropped(e: &Element, in_article: bool) -> bool {
    let name = e.name();
    (listed(SKIP, name) && !(name == "header" && in_article))
        || hidden(e)
        || (!listed(ROOTS, name) && has_part(e, BOILERPLATE))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collects paragraphs during a walk of the tree.
#[derive(Default)]
struct Reader {
    paras: Vec<String>,
    cur: String,
    /// For each entered element, from the root down: does it make a paragraph?
    opened: Vec<bool>,
    blocks: usize,
    articles: usize,
    /// All visible text as one paragraph (no blocks).
    whole: bool,
}

impl Reader {
    /// Visit a node; true if its children are to be walked (then `leave` follows).
    fn enter(&mut self, node: &Node) -> bool {
        match node {
            Node::Text(t) => {
                if self.whole || self.blocks > 0 {
                    self.cur.push_str(t);
                }
                false
            }
            Node::Element(e) if !dropped(e, self.articles > 0) => {
                self.open(e);
                true
            }
            _ => false,
        }
    }

    fn open(&mut self, e: &Element) {
        let name = e.name();
        let block = !self.whole
            && (listed(BLOCKS, name)
                || (self.blocks == 0 && (name == "time" || has_part(e, BYLINE))));
        if block {
            self.flush();
            self.blocks += 1;
        } else if !listed(INLINE, name) {
            self.cur.push(' ');
        }
        self.articles += usize::from(name == "article");
        self.opened.push(block);
    }

    fn leave(&mut self, node: &Node) {
        let Node::Element(e) = node else { return };
        let name = e.name();
        self.articles = self.articles.saturating_sub(usize::from(name == "article"));
        if self.opened.pop().unwrap_or(false) {
            self.flush();
            self.blocks = self.blocks.saturating_sub(1);
        } else if !listed(INLINE, name) {
            self.cur.push(' ');
        }
    }

    fn flush(&mut self) {
        let p = collapse(&self.cur);
        self.cur.clear();
        if !p.is_empty() {
            self.paras.push(p);
        }
    }
}

/// The paragraphs under `root` (or, `whole`, its visible text as one paragraph). The walk is a
/// loop, not recursion: 10,000 nested elements do not overflow the stack.
fn read(root: ElementRef<'_>, whole: bool) -> Vec<String> {
    let mut r = Reader {
        whole,
        ..Reader::default()
    };
    let mut node = *root;
    let mut down = r.enter(node.value());
    'walk: loop {
        if let Some(child) = node.first_child().filter(|_| down) {
            node = child;
        } else {
            if down {
                r.leave(node.value());
            }
            // `node` is done: leave the ancestors that are done too, go to the next sibling.
            loop {
                if node.id() == root.id() {
                    break 'walk;
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                let Some(parent) = node.parent() else {
                    break 'walk;
                };
                node = parent;
                r.leave(node.value());
            }
        }
        down = r.enter(node.value());
    }
    r.flush();
    r.paras
}

/// Is no ancestor of `e` dropped? (A `header` inside an `article` is not.)
fn visible(e: &ElementRef<'_>) -> bool {
    let outer: Vec<_> = e.ancestors().filter_map(ElementRef::wrap).collect();
    let mut in_article = false;
    outer.iter().rev().map(|a| a.value()).all(|a| {
        let keep = !dropped(a, in_article);
        in_article |= a.name() == "article";
        keep
    })
}

fn chars(paras: &[String]) -> usize {
    paras.iter().map(|p| p.chars().count()).sum()
}

/// The paragraphs of the visible `article` with the most paragraph text (the first of equals).
/// An article inside another has no more text than it: only the outermost ones are read.
fn best_article(all: &[ElementRef<'_>]) -> Vec<String> {
    let article = |e: &ElementRef<'_>| e.value().name() == "article";
    let outermost = |e: &ElementRef<'_>| {
        !e.ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| article(&a))
    };
    all.iter()
        .filter(|e| article(e) && outermost(e) && visible(e))
        .rev()
        .map(|a| read(*a, false))
        .max_by_key(|p| chars(p))
        .unwrap_or_default()
}

/// The readable paragraphs of the page (see the module doc for the choice of root).
fn paragraphs(all: &[ElementRef<'_>]) -> Vec<String> {
    let best = best_article(all);
    if !best.is_empty() {
        return best;
    }
    let first = |is: &dyn Fn(&Element) -> bool| all.iter().find(|e| is(e.value()) && visible(e));
    let role_main = |e: &Element| e.attr("role").is_some_and(|r| listed(r.trim(), "main"));
    let Some(body) = first(&|e| e.name() == "body").or(all.first()) else {
        return Vec::new();
    };
    [
        first(&|e| e.name() == "main"),
        first(&role_main),
        Some(body),
    ]
    .into_iter()
    .flatten()
    .map(|r| read(*r, false))
    .find(|p| !p.is_empty())
    .unwrap_or_else(|| read(*body, true))
}

/// `<title>`, else the first visible `h1`.
fn page_title(all: &[ElementRef<'_>]) -> Option<String> {
    let text_of = |name: &str| {
        all.iter()
            .filter(|e| e.value().name() == name && visible(e))
            .map(|e| read(*e, true).concat())
            .find(|t| !t.is_empty())
    };
    text_of("title").or_else(|| text_of("h1"))
}

/// `<link rel="canonical" href>`, else `<meta property="og:url" content>`.
fn page_source(all: &[ElementRef<'_>]) -> Option<String> {
    let find = |tag: &str, key: &str, is: &dyn Fn(&str) -> bool, value: &str| {
        all.iter()
            .map(|e| e.value())
            .filter(|e| e.name() == tag && e.attr(key).is_some_and(is))
            .filter_map(|e| e.attr(value).map(str::trim))
            .find(|v| !v.is_empty())
            .map(str::to_string)
    };
    let canonical = |rel: &str| {
        rel.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case("canonical"))
    };
    let og_url = |p: &str| p.trim().eq_ignore_ascii_case("og:url");
    find("link", "rel", &canonical, "href").or_else(|| find("meta", "property", &og_url, "content"))
}

pub fn read_html(html: &str, path: &Path, name: &str) -> ImportedDoc {
    let doc = Html::parse_document(html);
    let all: Vec<ElementRef<'_>> = doc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .collect();
    let text = paragraphs(&all).join("\n\n");
    ImportedDoc {
        name: name.to_string(),
        title: page_title(&all).unwrap_or_else(|| crate::store::import::title_of(&text, name)),
        source: page_source(&all).unwrap_or_else(|| path.display().to_string()),
        text,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> ImportedDoc {
        read_html(html, Path::new("dir/page.html"), "page")
    }

    fn paras(d: &ImportedDoc) -> Vec<&str> {
        d.text.split("\n\n").collect()
    }

    /// Exact paragraphs (the expected text is beside the page, in a `.txt`), title and source.
    fn check(html: &str, expected: &str, title: &str, source: &str) {
        let d = read(html);
        let expected: Vec<&str> = expected.trim_end().split("\n\n").collect();
        assert_eq!(paras(&d), expected);
        assert_eq!((d.title.as_str(), d.source.as_str()), (title, source));
    }

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
        let text = "Xi tells Putin “peace” talks\n\nBEIJING (Reuters) – Chinese President Xi \
                    Jinping told Vladimir Putin…\n\nSecond paragraph.";
        check(
            html,
            text,
            "Xi & Putin talk",
            "https://example.com/xi-putin",
        );
    }

    #[test]
    fn shared_page_fixture() {
        // What tests/formats.rs and tests/ui.rs expect of tests/fixtures/page.html.
        let text = "Xi tells Putin peace talks won’t be smooth\n\nBEIJING (Reuters) – Chinese \
            President Xi Jinping told Vladimir Putin on Friday…\n\nXi said Beijing and Moscow \
            should cooperate.";
        let html = include_str!("../../../tests/fixtures/page.html");
        let title = "Xi tells Putin peace talks won’t be smooth";
        check(html, text, title, "https://news.example/xi-putin");
    }

    #[test]
    fn news_pages() {
        let reuters = "https://www.reuters.example/world/china/xi-putin-beijing-2025-03-03/";
        let bbc = "https://www.bbc.example/news/world-asia-china-68000001";
        let ap = "https://apnews.example/article/stocks-fed-rates-0a1b2c";
        let pages = [
            (
                include_str!("../../../tests/fixtures/news/reuters-like.html"),
                include_str!("../../../tests/fixtures/news/reuters-like.txt"),
                "China’s Xi meets Putin in Beijing, pledges “no limits” trade | Reuters",
                reuters,
            ),
            (
                include_str!("../../../tests/fixtures/news/bbc-like.html"),
                include_str!("../../../tests/fixtures/news/bbc-like.txt"),
                "Shanghai café owners brace for tourist rush - BBC News",
                bbc,
            ),
            (
                include_str!("../../../tests/fixtures/news/ap-like.html"),
                include_str!("../../../tests/fixtures/news/ap-like.txt"),
                "Stocks rally as Fed holds rates steady | AP News",
                ap,
            ),
        ];
        for (html, text, title, source) in pages {
            check(html, text, title, source);
        }
    }

    #[test]
    fn boilerplate_class_parts() {
        let html = r#"<body><main>
<div class="shadow badge"><p>Kept one.</p></div><div id="load-more head"><p>Kept two.</p></div>
<div class="ad_unit"><p>x</p></div><div id="related-stories"><p>x</p></div>
<div class="SocialLinks"><p>x</p></div><p aria-hidden="true">x</p><p hidden>x</p>
</main></body>"#;
        assert_eq!(read(html).text, "Kept one.\n\nKept two.");
    }

    #[test]
    fn nested_blocks_are_read_once() {
        let html = "<article><blockquote><p>One</p>and<p>two</p></blockquote>\
                    <ul><li>Item<ul><li>sub<br>item</li></ul>tail</li></ul></article>";
        let want = ["One", "and", "two", "Item", "sub item", "tail"];
        assert_eq!(paras(&read(html)), want);
    }

    #[test]
    fn root_choice_and_fallbacks() {
        let longest = "<article><p>Short.</p></article><article><p>The longer one.</p></article>\
                       <aside><article><p>Longest of all, but aside.</p></article></aside>";
        assert_eq!(read(longest).text, "The longer one.");
        let empty_article = "<article><div>no blocks</div></article><main><p>Main.</p></main>";
        assert_eq!(read(empty_article).text, "Main.");
        let role = "<p>Banner</p><div role=main><h2>Head</h2><p>Body</p></div>";
        assert_eq!(read(role).text, "Head\n\nBody");
        let no_blocks = "<div>Just <b>some</b>\n text</div><div>here</div><script>x</script>";
        let text = "Just some text here";
        check(no_blocks, text, text, "dir/page.html");
    }

    #[test]
    fn title_falls_back_to_h1_and_source_to_og_url() {
        let html = r#"<head><meta property="og:url" content=" https://x.example/a "></head>
<body><header><h1>Site</h1></header><article><header><h1>Real &eacute;</h1></header></article>"#;
        check(html, "Real é", "Real é", "https://x.example/a");
    }

    #[test]
    fn malformed_input_does_not_panic() {
        let deep = "<div>".repeat(10_000) + "<p>deep</p>" + &"</div>".repeat(3);
        assert_eq!(read(&deep).text, "deep");
        assert_eq!(read(&("<b><i>".repeat(2_000) + "text")).text, "text");
        let articles = "<article><p>a</p>".repeat(10_000);
        assert_eq!(read(&articles).text.len(), 10_000 * 3 - 2);
        let junk = "|<|<<>>|<p|<p>unclosed <b>bold <a href='x|a < b > c </p></div>|<title>t|\
                    </html></body><p>after|<table><p>x<tr><td>y|<svg><p>z</svg>|<article><header>|\
                    \0\u{1}\u{fffd}<\u{7f}>&#0;&#xD800;&#99999999;&bogus;&";
        for j in junk.split('|') {
            read(j);
        }
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        read(&String::from_utf8_lossy(&bytes));
    }
}
