//! Markdown to a tagged A4 PDF: the forms A, B and C and the submission receipt.
//!
//! Supports what those texts use: headings, paragraphs, bullet and numbered
//! lists, bold, hard line breaks. Every word is measured with the shaper krilla
//! draws with, so wrapped lines never run past the margin. The PDF is tagged
//! (headings, paragraphs, lists; page footers are artifacts) and carries its
//! title and language, so screen readers can read it.

use crate::call::Lang;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, Tag, TagGroup, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::Document;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag as MdTag, TagEnd};
use std::num::NonZeroU16;
use std::sync::OnceLock;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 62.0;
const MARGIN_TOP: f32 = 64.0;
/// Where body text stops; the footer sits below.
const BODY_BOTTOM: f32 = PAGE_H - 70.0;
const BODY_SIZE: f32 = 10.0;
const LIST_INDENT: f32 = 16.0;

/// What the PDF says about itself.
#[derive(Debug, Clone)]
pub struct PdfMeta {
    pub title: String,
    pub lang: Lang,
    /// Keywords in the document information; the portal puts a marker here to
    /// recognise its own form when it comes back signed.
    pub keywords: Vec<String>,
    /// Printed at the foot of every page, before "page n of N".
    pub footer: String,
}

#[derive(Debug, thiserror::Error)]
#[error("PDF not written: {0}")]
pub struct PdfError(String);

/// Renders `markdown` as a PDF.
pub fn render(markdown: &str, meta: &PdfMeta) -> Result<Vec<u8>, PdfError> {
    render_with_figures(markdown, meta, &[])
}

/// A picture shown in a row under the document's first heading, tagged as
/// a figure with its text alternative.
#[derive(Debug, Clone)]
pub enum Figure {
    /// A map drawn as vectors: outlines (rings of points in the picture's
    /// own units, `width` × `height`), shaded or not, and points marked.
    Map {
        width: f32,
        height: f32,
        outlines: Vec<(Vec<Vec<(f32, f32)>>, bool)>,
        points: Vec<(f32, f32)>,
        alt: String,
    },
    /// A photo, as JPEG.
    Photo { jpeg: Vec<u8>, alt: String },
}

/// How tall the row of figures is at most, in points.
const FIGURE_ROW: f32 = 200.0;
const FIGURE_GAP: f32 = 14.0;

/// Renders `markdown` as a PDF with `figures` under its first heading. A
/// photo that is not a JPEG krilla can read is an error.
pub fn render_with_figures(
    markdown: &str,
    meta: &PdfMeta,
    figures: &[Figure],
) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::get();
    let blocks = parse(markdown);
    let row = FigureRow::new(figures)?;
    let (pages, row_at) = layout(&blocks, fonts, row.height);
    draw(&blocks, &pages, meta, fonts, (&row, row_at))
}

/// The figures placed side by side: each one's box (width, height) in points.
struct FigureRow {
    figures: Vec<(Figure, Option<krilla::image::Image>, f32, f32)>,
    height: f32,
}

impl FigureRow {
    fn new(figures: &[Figure]) -> Result<FigureRow, PdfError> {
        let room = PAGE_W - 2.0 * MARGIN_X;
        let each = (room - FIGURE_GAP * figures.len().saturating_sub(1) as f32)
            / figures.len().max(1) as f32;
        let mut placed = Vec::new();
        for f in figures {
            let (image, w, h) = match f {
                Figure::Map { width, height, .. } => (None, *width, *height),
                Figure::Photo { jpeg, .. } => {
                    // A photo krilla cannot read is left out, not the document.
                    let Ok(image) = krilla::image::Image::from_jpeg(jpeg.clone().into(), true)
                    else {
                        continue;
                    };
                    let (w, h) = image.size();
                    (Some(image), w as f32, h as f32)
                }
            };
            if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
                continue;
            }
            let scale = (FIGURE_ROW / h).min(each / w);
            placed.push((f.clone(), image, w * scale, h * scale));
        }
        let height = placed.iter().map(|p| p.3).fold(0.0, f32::max);
        Ok(FigureRow {
            figures: placed,
            height,
        })
    }
}

// ---- Markdown to blocks ---------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum BlockKind {
    Heading(u16),
    Paragraph,
    /// A list item; `list` tells items of one list from the next.
    Item {
        list: usize,
    },
    /// Vertical space, from a Markdown rule (`---`).
    Space,
}

#[derive(Debug, Clone)]
struct Block {
    kind: BlockKind,
    /// "•" or "3." for list items.
    label: String,
    depth: usize,
    runs: Vec<Run>,
}

#[derive(Debug, Clone)]
struct Run {
    text: String,
    bold: bool,
}

/// A forced line break inside a block.
const BREAK: &str = "\n";

fn parse(markdown: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // Each open list: its number, and the next item's number when ordered.
    let mut lists: Vec<(usize, Option<u64>)> = Vec::new();
    let mut list_count = 0;
    let mut bold = 0;
    let mut in_item = false;
    let new_block = |blocks: &mut Vec<Block>, kind, label: String, depth| {
        blocks.push(Block {
            kind,
            label,
            depth,
            runs: Vec::new(),
        })
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(MdTag::Heading { level, .. }) => new_block(
                &mut blocks,
                BlockKind::Heading(heading(level)),
                String::new(),
                0,
            ),
            Event::Start(MdTag::Paragraph) if in_item => {
                // A loose list item: its paragraphs stay in the item, one line apart.
                if let Some(b) = blocks.last_mut().filter(|b| !b.runs.is_empty()) {
                    b.runs.push(Run {
                        text: BREAK.into(),
                        bold: false,
                    });
                }
            }
            Event::Start(MdTag::Paragraph) => {
                new_block(&mut blocks, BlockKind::Paragraph, String::new(), 0)
            }
            Event::Start(MdTag::List(first)) => {
                list_count += 1;
                lists.push((list_count, first));
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                in_item = false;
            }
            Event::Start(MdTag::Item) => {
                let depth = lists.len();
                let Some((list, number)) = lists.last_mut() else {
                    continue;
                };
                let label = match number {
                    Some(n) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    None => "•".to_string(),
                };
                let kind = BlockKind::Item { list: *list };
                new_block(&mut blocks, kind, label, depth);
                in_item = true;
            }
            Event::End(TagEnd::Item) => in_item = false,
            Event::Start(MdTag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold -= 1,
            Event::Text(text) | Event::Code(text) => push_text(&mut blocks, &text, bold > 0),
            Event::SoftBreak => push_text(&mut blocks, " ", bold > 0),
            Event::HardBreak => push_text(&mut blocks, BREAK, false),
            Event::Rule => new_block(&mut blocks, BlockKind::Space, String::new(), 0),
            _ => {}
        }
    }
    blocks.retain(|b| b.kind == BlockKind::Space || !b.runs.is_empty());
    blocks
}

fn heading(level: HeadingLevel) -> u16 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        _ => 3,
    }
}

fn push_text(blocks: &mut [Block], text: &str, bold: bool) {
    if let Some(block) = blocks.last_mut() {
        block.runs.push(Run {
            text: text.to_string(),
            bold,
        });
    }
}

// ---- Fonts and measuring ---------------------------------------------------

struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: rustybuzz::Face<'static>,
    bold_face: rustybuzz::Face<'static>,
}

impl Fonts {
    fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| {
            let font =
                |bytes: &'static [u8]| Font::new(bytes.into(), 0).expect("the embedded font loads");
            let face = |bytes: &'static [u8]| {
                rustybuzz::Face::from_slice(bytes, 0).expect("the embedded font parses")
            };
            Fonts {
                regular: font(REGULAR),
                bold: font(BOLD),
                regular_face: face(REGULAR),
                bold_face: face(BOLD),
            }
        })
    }

    fn font(&self, bold: bool) -> Font {
        if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        }
    }

    /// Width of `text` at `size` points, shaped as krilla will draw it.
    fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        let face = if bold {
            &self.bold_face
        } else {
            &self.regular_face
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 / face.units_per_em() as f32 * size
    }
}

// ---- Layout: blocks to positioned lines on pages -----------------------------

/// One piece of a line in one font.
#[derive(Debug, Clone)]
struct Segment {
    x: f32,
    text: String,
    bold: bool,
}

#[derive(Debug, Clone)]
struct Line {
    block: usize,
    /// Baseline, from the top of the page.
    y: f32,
    size: f32,
    /// The list label, drawn on an item's first line.
    label: Option<(f32, String)>,
    segments: Vec<Segment>,
}

fn style(kind: BlockKind) -> (f32, bool, f32) {
    // (font size, bold, space before)
    match kind {
        BlockKind::Heading(1) => (16.0, true, 6.0),
        BlockKind::Heading(2) => (12.5, true, 14.0),
        BlockKind::Heading(_) => (11.0, true, 10.0),
        BlockKind::Paragraph => (BODY_SIZE, false, 7.0),
        BlockKind::Item { .. } => (BODY_SIZE, false, 3.5),
        BlockKind::Space => (BODY_SIZE, false, 10.0),
    }
}

/// The lines of each page, and where the row of figures (`row` points
/// tall, none when 0) stands: its page and its top.
fn layout(blocks: &[Block], fonts: &Fonts, row: f32) -> (Vec<Vec<Line>>, Option<(usize, f32)>) {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = MARGIN_TOP;
    let mut row_at = None;
    for (index, block) in blocks.iter().enumerate() {
        // Under the first heading (or at the top when there is none).
        if row > 0.0
            && row_at.is_none()
            && (index > 0 || !matches!(block.kind, BlockKind::Heading(_)))
        {
            y += FIGURE_GAP;
            row_at = Some((0, y));
            y += row;
        }
        let (size, heading_bold, before) = style(block.kind);
        let leading = size * 1.45;
        let left = MARGIN_X + block.depth as f32 * LIST_INDENT;
        let lines = wrap(block, fonts, size, heading_bold, PAGE_W - MARGIN_X - left);
        y += before;
        // A heading is kept with the two lines that follow it.
        let keep = if matches!(block.kind, BlockKind::Heading(_)) {
            lines.len() as f32 + 2.0
        } else {
            1.0
        };
        if y + leading * keep > BODY_BOTTOM && !pages.last().is_some_and(|p| p.is_empty()) {
            pages.push(Vec::new());
            y = MARGIN_TOP;
        }
        for (n, segments) in lines.into_iter().enumerate() {
            if y + leading > BODY_BOTTOM {
                pages.push(Vec::new());
                y = MARGIN_TOP;
            }
            y += leading;
            let label = (n == 0 && !block.label.is_empty())
                .then(|| (left - LIST_INDENT + 2.0, block.label.clone()));
            let segments = segments
                .into_iter()
                .map(|s| Segment { x: s.x + left, ..s })
                .collect();
            pages.last_mut().expect("a page").push(Line {
                block: index,
                y,
                size,
                label,
                segments,
            });
        }
    }
    // A document of a heading alone: under it.
    if row > 0.0 && row_at.is_none() {
        row_at = Some((pages.len() - 1, y + FIGURE_GAP));
    }
    (pages, row_at)
}

/// Breaks a block into lines no wider than `width`, greedily, word by word.
fn wrap(block: &Block, fonts: &Fonts, size: f32, all_bold: bool, width: f32) -> Vec<Vec<Segment>> {
    let mut lines: Vec<Vec<Segment>> = Vec::new();
    let mut line: Vec<Segment> = Vec::new();
    let mut x = 0.0;
    for run in &block.runs {
        let bold = all_bold || run.bold;
        if run.text == BREAK {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
            continue;
        }
        let space = fonts.width(" ", bold, size);
        for (i, word) in run.text.split(' ').enumerate() {
            // A run that starts with a space, or a word after the first, is preceded by one.
            let spaced = i > 0;
            if word.is_empty() {
                if spaced && x > 0.0 {
                    append(&mut line, x, " ", bold);
                    x += space;
                }
                continue;
            }
            let w = fonts.width(word, bold, size);
            let lead = if spaced && x > 0.0 { space } else { 0.0 };
            if x > 0.0 && x + lead + w > width {
                trim_end(&mut line);
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            } else if lead > 0.0 {
                append(&mut line, x, " ", bold);
                x += lead;
            }
            append(&mut line, x, word, bold);
            x += w;
        }
    }
    trim_end(&mut line);
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Adds `text` to the line, joining the last segment when the font is the same.
fn append(line: &mut Vec<Segment>, x: f32, text: &str, bold: bool) {
    match line.last_mut() {
        Some(last) if last.bold == bold => last.text.push_str(text),
        _ => line.push(Segment {
            x,
            text: text.to_string(),
            bold,
        }),
    }
}

fn trim_end(line: &mut Vec<Segment>) {
    if let Some(last) = line.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
    }
    line.retain(|s| !s.text.is_empty());
}

// ---- Drawing, with the tag tree --------------------------------------------

fn draw(
    blocks: &[Block],
    pages: &[Vec<Line>],
    meta: &PdfMeta,
    fonts: &Fonts,
    (row, row_at): (&FigureRow, Option<(usize, f32)>),
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    let lang = meta.lang.code().to_string();
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .language(lang.clone())
        .creator("Opportunity Lombardy".to_string());
    if !meta.keywords.is_empty() {
        metadata = metadata.keywords(meta.keywords.clone());
    }
    document.set_metadata(metadata);
    // Each block's content identifiers, in reading order.
    let mut content: Vec<Vec<Identifier>> = vec![Vec::new(); blocks.len()];
    let mut figures = Vec::new();
    let total = pages.len();
    for (number, lines) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        if let Some((_, top)) = row_at.filter(|(on, _)| *on == number) {
            figures = draw_figures(&mut surface, row, top);
        }
        for line in lines {
            if let Some((x, label)) = &line.label {
                let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                text(&mut surface, fonts, *x, line.y, line.size, label, false);
                surface.end_tagged();
                content[line.block].push(id);
            }
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            for s in &line.segments {
                text(&mut surface, fonts, s.x, line.y, line.size, &s.text, s.bold);
            }
            surface.end_tagged();
            content[line.block].push(id);
        }
        let footer = format!("{} · {}/{}", meta.footer, number + 1, total);
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        text(
            &mut surface,
            fonts,
            MARGIN_X,
            PAGE_H - 40.0,
            8.0,
            &footer,
            false,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    document.set_tag_tree(tag_tree(blocks, content, figures));
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

fn text(surface: &mut Surface, fonts: &Fonts, x: f32, y: f32, size: f32, s: &str, bold: bool) {
    surface.draw_text(
        Point::from_xy(x, y),
        fonts.font(bold),
        size,
        s,
        false,
        TextDirection::Auto,
    );
}

/// Headings, paragraphs and lists (label and body per item), in reading order.
fn tag_tree(
    blocks: &[Block],
    content: Vec<Vec<Identifier>>,
    figures: Vec<(String, Identifier)>,
) -> TagTree {
    let mut tree = TagTree::new();
    let mut list: Option<(usize, TagGroup)> = None;
    let mut figures = Some(figures);
    for (index, (block, ids)) in blocks.iter().zip(content).enumerate() {
        // In reading order: after the first heading, as they are drawn.
        if index > 0 || !matches!(block.kind, BlockKind::Heading(_)) {
            for (alt, id) in figures.take().into_iter().flatten() {
                let mut group = TagGroup::new(Tag::Figure(Some(alt)));
                group.push(id);
                tree.push(group);
            }
        }
        if ids.is_empty() {
            continue;
        }
        if let BlockKind::Item { list: number } = block.kind {
            if list.as_ref().is_none_or(|(n, _)| *n != number) {
                if let Some((_, group)) = list.take() {
                    tree.push(group);
                }
                let numbering = if block.label == "•" {
                    ListNumbering::Disc
                } else {
                    ListNumbering::Decimal
                };
                list = Some((number, TagGroup::new(Tag::L(numbering))));
            }
            let mut ids = ids.into_iter();
            let mut item = TagGroup::new(Tag::LI);
            let mut label = TagGroup::new(Tag::Lbl);
            label.push(ids.next().expect("an item has its label"));
            let mut body = TagGroup::new(Tag::LBody);
            ids.for_each(|id| body.push(id));
            item.push(label);
            item.push(body);
            list.as_mut().expect("a list is open").1.push(item);
            continue;
        }
        if let Some((_, group)) = list.take() {
            tree.push(group);
        }
        let mut group = match block.kind {
            BlockKind::Heading(level) => TagGroup::new(Tag::Hn(
                NonZeroU16::new(level).expect("levels start at 1"),
                Some(plain(block)),
            )),
            _ => TagGroup::new(Tag::P),
        };
        ids.into_iter().for_each(|id| group.push(id));
        tree.push(group);
    }
    if let Some((_, group)) = list {
        tree.push(group);
    }
    // A document of a heading alone: the figures after it.
    for (alt, id) in figures.take().into_iter().flatten() {
        let mut group = TagGroup::new(Tag::Figure(Some(alt)));
        group.push(id);
        tree.push(group);
    }
    tree
}

/// Draws the row of figures from `top`; each one's text alternative and content.
fn draw_figures(surface: &mut Surface, row: &FigureRow, top: f32) -> Vec<(String, Identifier)> {
    let mut x = MARGIN_X;
    let mut out = Vec::new();
    for (figure, image, w, h) in &row.figures {
        let id = surface.start_tagged(ContentTag::Other);
        let alt = match figure {
            Figure::Map {
                width,
                outlines,
                points,
                alt,
                ..
            } => {
                draw_map(surface, outlines, points, (x, top), w / width);
                alt
            }
            Figure::Photo { alt, .. } => {
                if let (Some(image), Some(size)) = (image, krilla::geom::Size::from_wh(*w, *h)) {
                    surface.push_transform(&krilla::geom::Transform::from_translate(x, top));
                    surface.draw_image(image.clone(), size);
                    surface.pop();
                }
                alt
            }
        };
        surface.end_tagged();
        out.push((alt.clone(), id));
        x += w + FIGURE_GAP;
    }
    out
}

/// Outlines filled and stroked, points as red dots, scaled by `scale` from `at`.
fn draw_map(
    surface: &mut Surface,
    outlines: &[(Vec<Vec<(f32, f32)>>, bool)],
    points: &[(f32, f32)],
    at: (f32, f32),
    scale: f32,
) {
    use krilla::color::rgb;
    use krilla::paint::{Fill, FillRule, Stroke};
    let fill = |r, g, b| Fill {
        paint: rgb::Color::new(r, g, b).into(),
        rule: FillRule::EvenOdd,
        ..Default::default()
    };
    surface.push_transform(&krilla::geom::Transform::from_row(
        scale, 0.0, 0.0, scale, at.0, at.1,
    ));
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(70, 80, 92).into(),
        width: 0.6 / scale,
        ..Default::default()
    }));
    for (rings, shaded) in outlines {
        let mut path = krilla::geom::PathBuilder::new();
        for ring in rings {
            for (i, &(px, py)) in ring.iter().enumerate() {
                match i {
                    0 => path.move_to(px, py),
                    _ => path.line_to(px, py),
                }
            }
            path.close();
        }
        if let Some(path) = path.finish() {
            surface.set_fill(Some(match shaded {
                true => fill(196, 220, 250),
                false => fill(236, 240, 245),
            }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(255, 255, 255).into(),
        width: 1.2 / scale,
        ..Default::default()
    }));
    surface.set_fill(Some(fill(164, 0, 29)));
    let radius = 4.5 / scale;
    for &(cx, cy) in points {
        let mut dot = krilla::geom::PathBuilder::new();
        for step in 0..24 {
            let a = step as f32 * std::f32::consts::TAU / 24.0;
            let (px, py) = (cx + radius * a.cos(), cy + radius * a.sin());
            match step {
                0 => dot.move_to(px, py),
                _ => dot.line_to(px, py),
            }
        }
        dot.close();
        if let Some(dot) = dot.finish() {
            surface.draw_path(&dot);
        }
    }
    surface.set_stroke(None);
    surface.set_fill(None);
    surface.pop();
}

fn plain(block: &Block) -> String {
    block
        .runs
        .iter()
        .map(|r| if r.text == BREAK { " " } else { &r.text })
        .collect()
}

/// Escapes a value put into Markdown, so a name like `*Rossi*` stays literal.
pub fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        if "\\`*_{}[]()#+-.!<>|~".contains(ch) {
            out.push('\\');
        }
        // A value is one line: a newline would start a new block.
        out.push(if ch == '\n' || ch == '\r' { ' ' } else { ch });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_follow_the_markdown() {
        let blocks =
            parse("# Title\n\nSome **bold** text.\n\n- one\n- two\n\n1. first\n2. second\n");
        let kinds: Vec<_> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds[0], BlockKind::Heading(1));
        assert_eq!(kinds[1], BlockKind::Paragraph);
        assert!(blocks[1].runs.iter().any(|r| r.bold && r.text == "bold"));
        assert_eq!(blocks[2].label, "•");
        assert_eq!(blocks[5].label, "2.");
        assert_ne!(
            blocks[2].kind, blocks[4].kind,
            "two lists, two list numbers"
        );
    }

    #[test]
    fn long_paragraphs_wrap_inside_the_margin_and_pages_break() {
        let word = "precipitevolissimevolmente ";
        let text = format!("# T\n\n{}\n", word.repeat(600));
        let blocks = parse(&text);
        let fonts = Fonts::get();
        let (pages, row) = layout(&blocks, fonts, 0.0);
        assert!(row.is_none(), "no figures, no room for them");
        assert!(pages.len() > 1, "600 long words take more than a page");
        for line in pages.iter().flatten() {
            let last = line.segments.last().unwrap();
            let right = last.x + fonts.width(&last.text, last.bold, line.size);
            assert!(right <= PAGE_W - MARGIN_X + 0.01, "line ends at {right}");
            assert!(line.y <= BODY_BOTTOM);
        }
    }

    #[test]
    fn figures_stand_under_the_first_heading_tagged_with_their_text() {
        let img = image::RgbImage::from_pixel(160, 120, image::Rgb([200, 60, 40]));
        let mut jpeg = std::io::Cursor::new(Vec::new());
        img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
        let square = vec![vec![(0.0, 0.0), (100.0, 0.0), (100.0, 80.0), (0.0, 80.0)]];
        let figures = [
            Figure::Map {
                width: 100.0,
                height: 80.0,
                outlines: vec![(square, true)],
                points: vec![(50.0, 40.0)],
                alt: "Mappa: il sito a Dalmine".into(),
            },
            Figure::Photo {
                jpeg: jpeg.into_inner(),
                alt: "Foto: vista da sud".into(),
            },
        ];
        let row = FigureRow::new(&figures).unwrap();
        assert!(row.height > 0.0 && row.height <= FIGURE_ROW);
        let width: f32 = row.figures.iter().map(|f| f.2).sum::<f32>() + FIGURE_GAP;
        assert!(width <= PAGE_W - 2.0 * MARGIN_X + 0.01, "{width}");
        let blocks = parse(
            "# Titolo

Primo paragrafo.
",
        );
        let (pages, at) = layout(&blocks, Fonts::get(), row.height);
        let (page, top) = at.unwrap();
        assert_eq!(page, 0);
        assert!(pages[0][0].y < top, "the heading first");
        assert!(pages[0][1].y > top + row.height, "the paragraph after");
        let meta = PdfMeta {
            title: "Scheda".into(),
            lang: Lang::It,
            keywords: vec![],
            footer: "prova".into(),
        };
        let pdf = render_with_figures(
            "# Titolo

Testo.
",
            &meta,
            &figures,
        )
        .unwrap();
        // Left for a person to look at (pdftoppm), as the brief's tests do.
        let _ = std::fs::write(std::env::temp_dir().join("figures-test.pdf"), &pdf);
        let plain = render("# Titolo\n\nTesto.\n", &meta).unwrap();
        assert!(pdf.len() > plain.len() + 500, "the pictures are in it");
        assert!(pdf.starts_with(b"%PDF-"));
        // Something that is not a JPEG is left out; a heading alone still has its figures.
        let bad = [Figure::Photo {
            jpeg: b"not a jpeg".to_vec(),
            alt: String::new(),
        }];
        let without = render_with_figures("# T\n", &meta, &bad).unwrap();
        assert!(
            without.starts_with(b"%PDF-"),
            "the photo is left out, not the PDF"
        );
    }

    #[test]
    fn escaped_values_stay_literal() {
        assert_eq!(
            escape_markdown("*Rossi* & [x](y)"),
            "\\*Rossi\\* & \\[x\\]\\(y\\)"
        );
        let blocks = parse(&format!("Name: {}", escape_markdown("# _not a heading_")));
        assert_eq!(plain(&blocks[0]), "Name: # _not a heading_");
    }

    #[test]
    fn renders_a_pdf_with_metadata() {
        let meta = PdfMeta {
            title: "Modulo di prova".into(),
            lang: Lang::It,
            keywords: vec!["OL-FORM:A:7".into()],
            footer: "Opportunity Lombardy".into(),
        };
        let pdf = render("# Prova\n\nTesto con àèìòù, € e m².\n\n- voce\n", &meta).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"OL-FORM:A:7"), "the marker is readable in the file");
        assert!(has(b"/StructTreeRoot"), "the PDF is tagged");
    }
}
