//! Loading: read, follow `extends`, apply `--set`, deserialize, validate.
//!
//! Each file is parsed with `toml_edit`, which keeps byte spans, into an
//! `Entry` tree: the TOML values together with the file, line and column
//! each key and value was written at. The tree of every file is first
//! deserialized on its own (so a type error or unknown key is reported in
//! the file that has it, even when a child overrides the value), then the
//! files are merged base first, then the `--set` overrides are merged on
//! top. The merged tree is deserialized into a [`Scenario`], its map is
//! read, and it is validated; every error is located by looking up the
//! offending field in the tree, which remembers the last writer of each
//! value.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::error::{FieldPath, Location, PathSegment, ScenarioError, io_reason};
use super::input::{NotUtf8, read_text};
use super::map::{SectorMap, TerrainMap};
use super::refine;
use super::types::Scenario;
use super::validate::{self, Violation, backticked, one_of};

/// The file name that locations of `--set` overrides carry.
pub const SET_FILE: &str = "--set";

/// Loads the scenario at `path`, follows its `extends` chain, applies the
/// `overrides` (`key.path=value`, as given to `--set`), and validates it.
/// The result is resolved: `extends` is `None` and any map is inline.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let text = read_text(path).map_err(|source| match NotUtf8::of(&source) {
        // Located like a syntax error: the editor can jump to the byte.
        Some(at) => ScenarioError::Syntax {
            location: Location::at(path.display().to_string(), at.line, at.col),
            message: at.to_string(),
        },
        None => ScenarioError::Io {
            file: path.display().to_string(),
            source,
        },
    })?;
    load_str(&text, &path.display().to_string(), overrides)
}

/// Like [`load`] for text already in memory; `file` names it in messages.
/// `extends` paths are relative to the directory of `file`.
pub fn load_str(text: &str, file: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let layers = read_chain(text, file)?;
    let file_count = layers.len();
    let mut tree = merge_layers(layers, file);
    for (i, argument) in overrides.iter().enumerate() {
        let label = set_label(i, overrides.len(), argument);
        apply_override(&mut tree, argument, &label, file_count + i)?;
    }
    let mut scenario = deserialize(&tree)?;
    resolve_map(&mut scenario, &mut tree)?;
    resolve_sectors(&mut scenario, &mut tree)?;
    if let Some(violation) = validate::violations(&scenario).into_iter().next() {
        return Err(located_violation(violation, &tree));
    }
    if scenario.world.refine > 1 {
        // What was written is valid; refining it must keep it so.
        if let Some(violation) = refine::violations(&scenario).into_iter().next() {
            return Err(located_violation(violation, &tree));
        }
        refine::apply(&mut scenario);
        if let Some(violation) = validate::violations(&scenario).into_iter().next() {
            return Err(located_violation(violation, &tree));
        }
    }
    Ok(scenario)
}

// ---------------------------------------------------------------------------
// The located tree.

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    col: usize,
}

/// Where the text of a string value starts, to locate errors inside an
/// inline map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TextStart {
    /// Position of the string's first character.
    pos: Pos,
    /// A `"""`/`'''` string: its lines are lines of the file.
    multiline: bool,
}

/// Where a key and its value were written, and by which layer.
#[derive(Debug, Clone)]
struct Origin {
    /// File as displayed in messages, or [`SET_FILE`].
    file: String,
    /// Position of the key, when written in the file.
    key: Option<Pos>,
    /// Position of the value (a table's header), when written in the file.
    value: Option<Pos>,
    /// For strings: where their text starts.
    text: Option<TextStart>,
    /// Layers applied later have higher ranks: the deepest base 0, then
    /// each file that extends it, then each `--set` in order.
    rank: usize,
}

impl Origin {
    /// A whole file, without position.
    fn file(file: &str) -> Self {
        Self {
            file: file.to_string(),
            key: None,
            value: None,
            text: None,
            rank: 0,
        }
    }

    fn is_written(&self) -> bool {
        self.key.is_some() || self.value.is_some()
    }

    /// The location of the key (`at_key`) or of the value, falling back to
    /// the other one, then to the file alone.
    fn location(&self, at_key: bool) -> Location {
        let pos = if at_key {
            self.key.or(self.value)
        } else {
            self.value.or(self.key)
        };
        match pos {
            Some(pos) => Location::at(&self.file, pos.line, pos.col),
            None => Location::file(&self.file),
        }
    }
}

/// A TOML value with its origin.
#[derive(Debug, Clone)]
struct Entry {
    node: Node,
    origin: Origin,
}

impl Entry {
    /// A value the loader derived (a map's size, an inlined map), located
    /// where its source was given but with no text of its own.
    fn derived(value: toml::Value, origin: &Origin) -> Self {
        Self {
            node: Node::Scalar(value),
            origin: Origin {
                text: None,
                ..origin.clone()
            },
        }
    }
}

/// The shape of a TOML value.
#[derive(Debug, Clone)]
enum Node {
    Table(BTreeMap<String, Entry>),
    Array(Vec<Entry>),
    Scalar(toml::Value),
}

impl Entry {
    fn table(origin: Origin) -> Self {
        Self {
            node: Node::Table(BTreeMap::new()),
            origin,
        }
    }

    fn set_rank(&mut self, rank: usize) {
        self.origin.rank = rank;
        match &mut self.node {
            Node::Table(map) => map.values_mut().for_each(|e| e.set_rank(rank)),
            Node::Array(items) => items.iter_mut().for_each(|e| e.set_rank(rank)),
            Node::Scalar(_) => {}
        }
    }

    fn child(&self, segment: &PathSegment) -> Option<&Entry> {
        match (segment, &self.node) {
            (PathSegment::Key(key), Node::Table(map)) => map.get(key),
            (PathSegment::Index(index), Node::Array(items)) => items.get(*index),
            _ => None,
        }
    }

    fn get(&self, path: &FieldPath) -> Option<&Entry> {
        path.0
            .iter()
            .try_fold(self, |entry, segment| entry.child(segment))
    }

    /// The table at `keys`, if there is one there.
    fn table_at_mut(&mut self, keys: &[&str]) -> Option<&mut BTreeMap<String, Entry>> {
        let mut entry = self;
        for key in keys {
            match &mut entry.node {
                Node::Table(map) => entry = map.get_mut(*key)?,
                _ => return None,
            }
        }
        match &mut entry.node {
            Node::Table(map) => Some(map),
            _ => None,
        }
    }

    /// Sets the leaf at `keys` (a table path then a key), creating tables
    /// on the way with `origin`.
    fn set_leaf(&mut self, keys: &[&str], leaf: Entry) {
        let Some((last, tables)) = keys.split_last() else {
            return;
        };
        let mut entry = self;
        for key in tables {
            if !matches!(entry.node, Node::Table(_)) {
                *entry = Entry::table(leaf.origin.clone());
            }
            let Node::Table(map) = &mut entry.node else {
                return;
            };
            entry = map
                .entry((*key).to_string())
                .or_insert_with(|| Entry::table(leaf.origin.clone()));
        }
        if let Node::Table(map) = &mut entry.node {
            map.insert((*last).to_string(), leaf);
        }
    }

    /// The plain TOML value, for deserialization.
    fn to_toml(&self) -> toml::Value {
        match &self.node {
            Node::Scalar(value) => value.clone(),
            Node::Array(items) => toml::Value::Array(items.iter().map(Entry::to_toml).collect()),
            Node::Table(map) => toml::Value::Table(
                map.iter()
                    .map(|(key, entry)| (key.clone(), entry.to_toml()))
                    .collect(),
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Parsing one file.

/// Nesting depth past which [`Source::deepest_nesting`] stops looking:
/// below toml_edit's recursion limit, far above any real scenario.
const NESTING_HINT: usize = 64;

/// One TOML text being turned into an [`Entry`] tree.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// The last offset located and its column: spans are visited in text
    /// order, so counting on from there keeps locating every value of a
    /// long one-line array linear instead of quadratic in the line length.
    last: Cell<(usize, Pos)>,
    /// Bytes counted so far to locate spans (what keeps that linear).
    scanned: Cell<usize>,
}

impl<'a> Source<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file,
            text,
            line_starts,
            last: Cell::new((0, Pos { line: 1, col: 1 })),
            scanned: Cell::new(0),
        }
    }

    /// Line and column of a byte offset. Robust to offsets past the end or
    /// inside a character, so a surprising span cannot panic.
    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let (last_offset, last) = self.last.get();
        let (start, col) = if last.line == line && last_offset <= offset {
            (last_offset, last.col)
        } else {
            (self.line_starts[line - 1], 1)
        };
        self.scanned.set(self.scanned.get() + (offset - start));
        let col = col
            + self.text.as_bytes()[start..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
        let pos = Pos { line, col };
        self.last.set((offset, pos));
        pos
    }

    fn origin(&self, key: Option<Range<usize>>, value: Option<Range<usize>>) -> Origin {
        Origin {
            file: self.file.to_string(),
            key: key.map(|span| self.pos(span.start)),
            value: value.map(|span| self.pos(span.start)),
            text: None,
            rank: 0,
        }
    }

    fn table(&self, table: &toml_edit::Table, origin: Origin) -> Entry {
        let mut map = BTreeMap::new();
        for (key, item) in table.iter() {
            let key_span = table.key(key).and_then(toml_edit::Key::span);
            if let Some(entry) = self.item(item, key_span) {
                map.insert(key.to_string(), entry);
            }
        }
        Entry {
            node: Node::Table(map),
            origin,
        }
    }

    fn item(&self, item: &toml_edit::Item, key_span: Option<Range<usize>>) -> Option<Entry> {
        match item {
            toml_edit::Item::None => None,
            toml_edit::Item::Value(value) => Some(self.value(value, key_span)),
            toml_edit::Item::Table(table) => {
                Some(self.table(table, self.origin(key_span, table.span())))
            }
            toml_edit::Item::ArrayOfTables(array) => {
                let items = array
                    .iter()
                    .map(|table| self.table(table, self.origin(table.span(), table.span())))
                    .collect();
                Some(Entry {
                    node: Node::Array(items),
                    origin: self.origin(key_span, array.span()),
                })
            }
        }
    }

    fn value(&self, value: &toml_edit::Value, key_span: Option<Range<usize>>) -> Entry {
        use toml_edit::Value as V;
        let mut origin = self.origin(key_span, value.span());
        let node = match value {
            V::String(s) => {
                origin.text = value.span().and_then(|span| self.text_start(span));
                Node::Scalar(toml::Value::String(s.value().clone()))
            }
            V::Integer(i) => Node::Scalar(toml::Value::Integer(*i.value())),
            V::Float(f) => Node::Scalar(toml::Value::Float(*f.value())),
            V::Boolean(b) => Node::Scalar(toml::Value::Boolean(*b.value())),
            V::Datetime(d) => Node::Scalar(toml::Value::Datetime(*d.value())),
            V::Array(items) => Node::Array(items.iter().map(|v| self.value(v, None)).collect()),
            V::InlineTable(table) => Node::Table(
                table
                    .iter()
                    .map(|(key, v)| {
                        let key_span = table.key(key).and_then(toml_edit::Key::span);
                        (key.to_string(), self.value(v, key_span))
                    })
                    .collect(),
            ),
        };
        Entry { node, origin }
    }

    /// Where the text of the string written at `span` starts: after its
    /// opening quotes and, for `"""`/`'''`, after the newline TOML trims
    /// there.
    fn text_start(&self, span: Range<usize>) -> Option<TextStart> {
        let raw = self.text.get(span.clone())?;
        let quotes = ["\"\"\"", "'''", "\"", "'"]
            .into_iter()
            .find(|q| raw.starts_with(q))?;
        let multiline = quotes.len() == 3;
        let mut start = span.start + quotes.len();
        if multiline {
            let rest = self.text.get(start..).unwrap_or("");
            if rest.starts_with("\r\n") {
                start += 2;
            } else if rest.starts_with('\n') {
                start += 1;
            }
        }
        Some(TextStart {
            pos: self.pos(start),
            multiline,
        })
    }

    /// Where the text nests deepest (dotted keys, `[`, `{`), to locate
    /// toml_edit's "recursion limit", which has no span: the first place
    /// where the nesting passes [`NESTING_HINT`], else the deepest one.
    /// Strings and comments are skipped roughly (a heuristic for an error
    /// message, not a parser).
    fn deepest_nesting(&self) -> Location {
        let (mut open, mut dots) = (0usize, 0usize);
        let (mut line, mut col) = (1, 1);
        let mut quote: Option<char> = None;
        let mut comment = false;
        let mut deepest = (0, 1, 1);
        for c in self.text.chars() {
            match (quote, c) {
                (_, '\n') => {
                    (dots, comment, quote) = (0, false, None);
                    line += 1;
                    col = 0;
                }
                _ if comment => {}
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => comment = true,
                (None, '[' | '{') => open += 1,
                (None, ']' | '}') => open = open.saturating_sub(1),
                (None, '.') => dots += 1,
                _ => {}
            }
            let depth = open + dots;
            if depth > deepest.0 {
                deepest = (depth, line, col);
                if depth > NESTING_HINT {
                    break;
                }
            }
            col += 1;
        }
        Location::at(self.file, deepest.1, deepest.2)
    }

    /// The whole text as a tree, or its first syntax error.
    fn parse(&self) -> Result<Entry, ScenarioError> {
        let document = toml_edit::Document::parse(self.text).map_err(|e| {
            let location = match e.span() {
                Some(span) => {
                    let pos = self.pos(span.start);
                    Location::at(self.file, pos.line, pos.col)
                }
                // toml_edit's recursion limit comes without a span.
                None => self.deepest_nesting(),
            };
            ScenarioError::Syntax {
                location,
                message: super::error::one_line(e.message().trim()),
            }
        })?;
        Ok(self.table(document.as_table(), Origin::file(self.file)))
    }
}

// ---------------------------------------------------------------------------
// `extends` chains.

/// The file and each file it extends, the file itself first; each checked
/// on its own for types and unknown keys.
fn read_chain(text: &str, file: &str) -> Result<Vec<Entry>, ScenarioError> {
    // Files seen so far, by identity, with their displayed names, to
    // detect a cycle and report it.
    let mut seen = vec![(identity(Path::new(file)), file.to_string())];
    let mut layers = Vec::new();
    let mut layer = Source::new(file, text).parse()?;
    loop {
        check_layer(&layer)?;
        let Some((written, origin)) = take_extends(&mut layer) else {
            layers.push(layer);
            return Ok(layers);
        };
        layers.push(layer);
        let base = relative_to(&origin.file, &written);
        let base_name = base.display().to_string();
        let base_text = read_text(&base).map_err(|e| {
            ScenarioError::field(
                origin.location(false),
                &FieldPath::keys(&["extends"]),
                &format!("cannot read {written}: {}", io_reason(&e)),
            )
        })?;
        let id = identity(&base);
        if let Some(start) = seen.iter().position(|(seen_id, _)| *seen_id == id) {
            let mut chain: Vec<&str> = seen[start..].iter().map(|(_, n)| n.as_str()).collect();
            chain.push(&base_name);
            return Err(ScenarioError::ExtendsCycle {
                location: origin.location(false),
                chain: chain.join(" -> "),
            });
        }
        layer = Source::new(&base_name, &base_text).parse()?;
        seen.push((id, base_name));
    }
}

/// Removes `extends` from a layer, returning the path as written and
/// where. The layer has been type-checked, so `extends` is a string.
fn take_extends(layer: &mut Entry) -> Option<(String, Origin)> {
    let Node::Table(map) = &mut layer.node else {
        return None;
    };
    let entry = map.remove("extends")?;
    match entry.node {
        Node::Scalar(toml::Value::String(path)) => Some((path, entry.origin)),
        _ => None,
    }
}

/// `path` relative to the directory of `file` (`--set` counts as a file
/// in the current directory).
fn relative_to(file: &str, path: &str) -> PathBuf {
    let joined = Path::new(file)
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(path);
    // Inside the shipped pack, `..` is resolved so messages name the file.
    super::pack::normalize(&joined)
}

/// A path that is the same for every spelling of the same file, so that
/// `a.toml` and `./dir/../a.toml` are recognised as one in a cycle.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// One file on its own must be a valid (partial) scenario: right types,
/// known keys, and not both kinds of map.
fn check_layer(layer: &Entry) -> Result<(), ScenarioError> {
    let scenario = deserialize(layer)?;
    let world = &scenario.world;
    match validate::map_exclusivity_violation(world)
        .or_else(|| validate::sectors_exclusivity_violation(world))
    {
        Some(violation) => Err(located_violation(violation, layer)),
        None => Ok(()),
    }
}

/// Merges the layers of a chain (the file first, its deepest base last)
/// base first, ranking each so that later writers rank higher.
fn merge_layers(layers: Vec<Entry>, file: &str) -> Entry {
    let mut tree = defaults(file);
    for (rank, mut layer) in layers.into_iter().rev().enumerate() {
        layer.set_rank(rank);
        apply_layer(&mut tree, layer);
    }
    // Fields left at their defaults are located at the file being loaded.
    tree.origin = Origin::file(file);
    tree
}

/// The default scenario as the bottom layer, written nowhere. Struct
/// fields would default anyway; what this changes is tables of user keys:
/// a file's `[world.legend]` adds to (or overrides entries of) the default
/// legend, as a child's legend does to its base's, instead of replacing it.
fn defaults(file: &str) -> Entry {
    let origin = Origin::file(file);
    match toml::Value::try_from(Scenario::default()) {
        Ok(value) => unwritten(value, &origin),
        // Cannot happen (the defaults are plain data); an empty bottom
        // layer is correct apart from the legend.
        Err(_) => Entry::table(origin),
    }
}

/// A plain TOML value as a tree whose every entry has `origin`.
fn unwritten(value: toml::Value, origin: &Origin) -> Entry {
    let node = match value {
        toml::Value::Table(map) => Node::Table(
            map.into_iter()
                .map(|(key, value)| (key, unwritten(value, origin)))
                .collect(),
        ),
        toml::Value::Array(items) => {
            Node::Array(items.into_iter().map(|v| unwritten(v, origin)).collect())
        }
        scalar => Node::Scalar(scalar),
    };
    Entry {
        node,
        origin: origin.clone(),
    }
}

/// Merges `layer` over `tree`. A layer that names a map (`world.map` or
/// `world.map_inline`) replaces the map of what it extends, whichever kind
/// that was, and likewise for sectors: a child could not otherwise switch kinds, as TOML cannot unset
/// a key.
fn apply_layer(tree: &mut Entry, layer: Entry) {
    let names = |key: &str| layer.get(&FieldPath::keys(&["world", key])).is_some();
    let pairs = [("map", "map_inline"), ("sectors", "sectors_inline")];
    let named: Vec<(&str, &str, bool, bool)> = pairs
        .iter()
        .map(|&(file, inline)| (file, inline, names(file), names(inline)))
        .collect();
    if let Some(world) = tree.table_at_mut(&["world"]) {
        for (file, inline, names_file, names_inline) in named {
            if names_file {
                world.remove(inline);
            }
            if names_inline {
                world.remove(file);
            }
        }
    }
    merge_into(tree, layer);
}

/// Deep merge: tables merge key by key; anything else replaces.
fn merge_into(base: &mut Entry, over: Entry) {
    match (&mut base.node, over.node) {
        (Node::Table(base_map), Node::Table(over_map)) => {
            // A table keeps the position of its latest header, for errors
            // about fields inside it left at their defaults.
            if over.origin.is_written() {
                base.origin = over.origin;
            }
            for (key, entry) in over_map {
                match base_map.get_mut(&key) {
                    Some(existing) => merge_into(existing, entry),
                    None => {
                        base_map.insert(key, entry);
                    }
                }
            }
        }
        (_, node) => {
            *base = Entry {
                node,
                origin: over.origin,
            }
        }
    }
}

// ---------------------------------------------------------------------------
// `--set key.path=value`.

/// The file name that locates errors of the `index`-th (0-based) of
/// `count` overrides: `--set` alone, or with several, `--set #2 (text)`
/// so that the message says which one it came from.
pub fn set_label(index: usize, count: usize, argument: &str) -> String {
    if count <= 1 {
        SET_FILE.to_string()
    } else {
        format!("{SET_FILE} #{} ({argument})", index + 1)
    }
}

/// Whether a location's file is a `--set` override (see [`set_label`]).
pub fn is_set_file(file: &str) -> bool {
    file == SET_FILE || file.starts_with(&format!("{SET_FILE} #"))
}

/// One step of a `--set` key path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// `key`: a key of a table, or in an array of tables the entry whose
    /// `name` (or `id`) is `key`.
    Key(String),
    /// `[3]`: the entry at a 0-based index of an array.
    Index(usize),
    /// `[name=european]`: the entry of an array whose field is the value.
    Field(String, String),
}

/// A step with the 1-based column of the argument it starts at.
type Located = (Step, usize);

/// One `--set` argument applied to the merged tree: the value replaces (or,
/// for a table, merges into) what the key path names. The key path reaches
/// into arrays of tables by index (`contributors[0]`), by a field
/// (`contributors[name=european]`) or by the entry's name
/// (`contributors.european`).
fn apply_override(
    tree: &mut Entry,
    argument: &str,
    label: &str,
    rank: usize,
) -> Result<(), ScenarioError> {
    let Some(equals) = unquoted_equals(argument) else {
        return Err(ScenarioError::field(
            Location::at(label, 1, 1),
            &argument_as_path(argument),
            "missing `=` (expected key.path=value, e.g. citizens.vision=7)",
        ));
    };
    let (raw_key, raw_value) = (&argument[..equals], &argument[equals + 1..]);
    let steps = override_steps(raw_key, label)?;
    // `extends` is resolved before overrides apply; setting it here would
    // leave it unfollowed in the resolved scenario.
    if let Some((Step::Key(key), col)) = steps
        .first()
        .filter(|(s, _)| *s == Step::Key("extends".into()))
    {
        return Err(ScenarioError::field(
            Location::at(label, 1, *col),
            &FieldPath::keys(&[key]),
            "cannot be set with --set (expected a field of the scenario; `extends` belongs in a file)",
        ));
    }
    let value_text = raw_value.trim();
    let leading = raw_value.len() - raw_value.trim_start().len();
    let value_col = argument[..equals + 1 + leading].chars().count() + 1;
    let mut leaf = override_value(value_text, value_col, label);
    leaf.set_rank(rank);
    let at = |col: usize| Origin {
        key: Some(Pos { line: 1, col }),
        rank,
        ..Origin::file(label)
    };
    if let Some(&(_, col)) = steps.last() {
        leaf.origin.key = Some(Pos { line: 1, col });
    }
    // Naming one kind of map replaces the other kind (see `apply_layer`).
    if let [(Step::Key(world), _), (Step::Key(key), _)] = steps.as_slice() {
        let other = match key.as_str() {
            "map" => Some("map_inline"),
            "map_inline" => Some("map"),
            "sectors" => Some("sectors_inline"),
            "sectors_inline" => Some("sectors"),
            _ => None,
        };
        if let (true, Some(other), Some(table)) =
            (world == "world", other, tree.table_at_mut(&["world"]))
        {
            table.remove(other);
        }
    }
    let mut entry = tree;
    let mut path = FieldPath::default();
    for (i, (step, col)) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let fail = |path: &FieldPath, message: String| {
            ScenarioError::field(Location::at(label, 1, *col), path, &message)
        };
        // A key on an array of tables names an entry.
        let step = match (step, &entry.node) {
            (Step::Key(name), Node::Array(_)) => &Step::Field(String::new(), name.clone()),
            _ => step,
        };
        match step {
            Step::Key(key) => {
                path = path.key(key);
                if !matches!(entry.node, Node::Table(_)) {
                    // Not a table: the value becomes one, and deserializing
                    // reports the type error at this `--set`.
                    *entry = Entry::table(at(*col));
                }
                let Node::Table(map) = &mut entry.node else {
                    unreachable!("made a table above")
                };
                if last {
                    match map.get_mut(key) {
                        Some(existing) => merge_into(existing, leaf),
                        None => {
                            map.insert(key.clone(), leaf);
                        }
                    }
                    return Ok(());
                }
                entry = map
                    .entry(key.clone())
                    .or_insert_with(|| Entry::table(at(*col)));
            }
            Step::Index(_) | Step::Field(..) => {
                let Node::Array(items) = &mut entry.node else {
                    return Err(fail(
                        &path,
                        format!(
                            "is not an array of tables, so `{}` selects nothing (expected a key path such as `{path}.key`)",
                            step_text(step)
                        ),
                    ));
                };
                let index = match step {
                    Step::Index(index) => *index,
                    Step::Field(field, value) => entry_named(items, field, value)
                        .ok_or_else(|| fail(&path, no_entry_named(items, field, value)))?,
                    Step::Key(_) => unreachable!("keys are handled above"),
                };
                let count = items.len();
                let Some(item) = items.get_mut(index) else {
                    let expected = match count {
                        0 => "the array is empty: write its entries in the scenario".to_string(),
                        n => format!("an index in 0..={}", n - 1),
                    };
                    return Err(fail(
                        &path,
                        format!("no entry [{index}] (expected {expected})"),
                    ));
                };
                path = path.index(index);
                if last {
                    merge_into(item, leaf);
                    return Ok(());
                }
                entry = item;
            }
        }
    }
    Ok(())
}

/// A step as the user would write it, for messages.
fn step_text(step: &Step) -> String {
    match step {
        Step::Key(key) => key.clone(),
        Step::Index(index) => format!("[{index}]"),
        Step::Field(field, value) if field.is_empty() => value.clone(),
        Step::Field(field, value) => format!("[{field}={value}]"),
    }
}

/// The fields that name an entry of an array of tables, in the order they
/// are tried when a key path gives a bare name.
const NAME_FIELDS: [&str; 2] = ["name", "id"];

/// The value of `field` in an array entry, as text (strings and integers).
fn field_text(item: &Entry, field: &str) -> Option<String> {
    match &item.node {
        Node::Table(map) => match map.get(field).map(|e| &e.node) {
            Some(Node::Scalar(toml::Value::String(s))) => Some(s.clone()),
            Some(Node::Scalar(toml::Value::Integer(i))) => Some(i.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The index of the entry whose `field` (or, for an empty field, whose
/// name or id) is `value`.
fn entry_named(items: &[Entry], field: &str, value: &str) -> Option<usize> {
    let fields: Vec<&str> = if field.is_empty() {
        NAME_FIELDS.to_vec()
    } else {
        vec![field]
    };
    items.iter().position(|item| {
        fields
            .iter()
            .any(|f| field_text(item, f).is_some_and(|t| t == value))
    })
}

/// Why no entry matched, with the names there are.
fn no_entry_named(items: &[Entry], field: &str, value: &str) -> String {
    let fields: Vec<&str> = if field.is_empty() {
        NAME_FIELDS.to_vec()
    } else {
        vec![field]
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|item| fields.iter().find_map(|f| field_text(item, f)))
        .collect();
    let what = if field.is_empty() {
        "no entry named".to_string()
    } else {
        format!("no entry with {field} =")
    };
    if names.is_empty() {
        return format!(
            "{what} {value:?} (expected an index such as [0]: the entries have no {})",
            fields.join(" or ")
        );
    }
    let suggestion = did_you_mean(value, &names)
        .map(|n| format!("; did you mean {n:?}?"))
        .unwrap_or_default();
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    format!(
        "{what} {value:?}{suggestion} (expected one of {} or an index [0]..[{}])",
        quoted.join(", "),
        items.len() - 1
    )
}

/// The field an argument without `=` names, for its error message: its key
/// path if it is one, else the whole text as a single key.
fn argument_as_path(argument: &str) -> FieldPath {
    match toml_edit::Key::parse(argument.trim()) {
        Ok(keys) => FieldPath(
            keys.iter()
                .map(|key| PathSegment::Key(key.get().to_string()))
                .collect(),
        ),
        Err(_) => FieldPath(vec![PathSegment::Key(argument.to_string())]),
    }
}

/// Byte index of the first `=` outside quotes and brackets (keys may be
/// quoted, and `[name=x]` selects an entry).
fn unquoted_equals(argument: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    let mut depth = 0usize;
    for (i, c) in argument.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if q == '"' && c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                '=' if depth == 0 => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// The steps of a `--set` key path (`a.b[0].c`, `a.b[name=x].c`, quoted
/// keys as in TOML), each with its 1-based column.
fn override_steps(raw_key: &str, label: &str) -> Result<Vec<Located>, ScenarioError> {
    parse_steps(raw_key).map_err(|why| {
        ScenarioError::field(
            Location::at(label, 1, 1),
            &FieldPath(vec![PathSegment::Key(raw_key.to_string())]),
            &format!(
                "invalid key path: {why} (expected key.path=value, e.g. citizens.vision=7 \
                 or mission.contributors[0].troops=100)"
            ),
        )
    })
}

/// [`override_steps`] without the error's location.
fn parse_steps(raw_key: &str) -> Result<Vec<Located>, String> {
    let chars: Vec<char> = raw_key.chars().collect();
    let mut at = 0;
    let mut steps = Vec::new();
    let skip_spaces = |at: &mut usize| {
        while chars.get(*at).is_some_and(|c| *c == ' ' || *c == '\t') {
            *at += 1;
        }
    };
    loop {
        skip_spaces(&mut at);
        let col = at + 1;
        let key = read_key(&chars, &mut at)?;
        steps.push((Step::Key(key), col));
        skip_spaces(&mut at);
        while chars.get(at) == Some(&'[') {
            let col = at + 1;
            let close = (at..chars.len())
                .find(|&i| chars[i] == ']')
                .ok_or_else(|| format!("unclosed `[` at column {col}"))?;
            let inside: String = chars[at + 1..close].iter().collect();
            steps.push((selector(inside.trim())?, col));
            at = close + 1;
            skip_spaces(&mut at);
        }
        match chars.get(at) {
            None => return Ok(steps),
            Some('.') => at += 1,
            Some(c) => return Err(format!("unexpected {c:?} at column {}", at + 1)),
        }
    }
}

/// A bare or quoted key starting at `at`, which moves past it.
fn read_key(chars: &[char], at: &mut usize) -> Result<String, String> {
    let start = *at;
    match chars.get(start) {
        Some(&q @ ('"' | '\'')) => {
            let mut i = start + 1;
            while i < chars.len() && chars[i] != q {
                if q == '"' && chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            if i >= chars.len() {
                return Err(format!("unclosed quote at column {}", start + 1));
            }
            *at = i + 1;
            let quoted: String = chars[start..=i].iter().collect();
            // TOML decodes the escapes.
            toml_edit::Key::parse(&quoted)
                .ok()
                .and_then(|keys| keys.first().map(|k| k.get().to_string()))
                .ok_or_else(|| format!("invalid quoted key {quoted}"))
        }
        _ => {
            let mut i = start;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            {
                i += 1;
            }
            if i == start {
                return Err(format!("a key is missing at column {}", start + 1));
            }
            *at = i;
            Ok(chars[start..i].iter().collect())
        }
    }
}

/// The step inside `[...]`: an index or `field=value`.
fn selector(inside: &str) -> Result<Step, String> {
    if let Ok(index) = inside.parse::<usize>() {
        return Ok(Step::Index(index));
    }
    let Some((field, value)) = inside.split_once('=') else {
        return Err(format!(
            "[{inside}] is neither an index nor field=value (e.g. [0] or [name=european])"
        ));
    };
    let unquote = |s: &str| {
        let s = s.trim();
        s.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
            .unwrap_or(s)
            .to_string()
    };
    let (field, value) = (unquote(field), unquote(value));
    if field.is_empty() || value.is_empty() {
        return Err(format!(
            "[{inside}] needs a field and a value (e.g. [name=european])"
        ));
    }
    Ok(Step::Field(field, value))
}

/// The value of a `--set`: a TOML value if it parses as one, else the
/// text as a string (so `rules.neighbourhood=moore` needs no quotes).
fn override_value(text: &str, col: usize, label: &str) -> Entry {
    // Parse it as the value of a one-key document padded so that the value
    // starts at the same column as in the argument: the spans of nested
    // values (inside arrays and inline tables) then give argument columns.
    let padded = format!("_{}={text}", " ".repeat(col.saturating_sub(3)));
    let source = Source::new(label, &padded);
    let as_toml = toml_edit::Document::parse(padded.as_str())
        .ok()
        .filter(|document| document.as_table().len() == 1)
        .and_then(|document| match document.as_table().get("_") {
            Some(toml_edit::Item::Value(value)) => Some(source.value(value, None)),
            _ => None,
        });
    // No field takes a datetime: `name=2024-06-01` means the text.
    let as_toml =
        as_toml.filter(|entry| !matches!(entry.node, Node::Scalar(toml::Value::Datetime(_))));
    as_toml.unwrap_or_else(|| {
        let mut origin = Origin::file(label);
        origin.value = Some(Pos { line: 1, col });
        Entry {
            node: Node::Scalar(toml::Value::String(text.to_string())),
            origin,
        }
    })
}

// ---------------------------------------------------------------------------
// Deserialization and serde's messages.

/// The tree as a [`Scenario`], or the first type error or unknown key,
/// located at the offending value or key.
fn deserialize(tree: &Entry) -> Result<Scenario, ScenarioError> {
    if let Some((path, entry)) = find_datetime(tree, FieldPath::default()) {
        let message = wrong_value("invalid type: datetime", &path, Some(entry));
        return Err(ScenarioError::field(
            entry.origin.location(false),
            &path,
            &message,
        ));
    }
    serde_path_to_error::deserialize(tree.to_toml()).map_err(|e| {
        let path = field_path(e.path());
        if let Some(table) = array_for_table(tree, &path) {
            let message = format!(
                "an array of tables where a table is expected (write [{table}] once, not [[{table}]])"
            );
            return ScenarioError::field(locate(tree, &table, false), &table, &message);
        }
        let (message, at_key) = describe_serde_error(e.inner().message(), &path, tree);
        ScenarioError::field(locate(tree, &path, at_key), &path, &message)
    })
}

/// The part of `path` that is a table in the schema but an array in the
/// file (`[[mission.mandate]]`): serde reads a struct from an array too,
/// and would say "invalid type: table (expected f64)" about its first item.
fn array_for_table(tree: &Entry, path: &FieldPath) -> Option<FieldPath> {
    (1..=path.0.len())
        .map(|n| FieldPath(path.0[..n].to_vec()))
        .find(|prefix| {
            matches!(
                tree.get(prefix),
                Some(Entry {
                    node: Node::Array(_),
                    ..
                })
            ) && super::schema::is_table(prefix)
        })
}

fn field_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    FieldPath(
        path.iter()
            .filter_map(|segment| match segment {
                Segment::Map { key } => Some(PathSegment::Key(key.clone())),
                Segment::Enum { variant } => Some(PathSegment::Key(variant.clone())),
                Segment::Seq { index } => Some(PathSegment::Index(*index)),
                Segment::Unknown => None,
            })
            .collect(),
    )
}

/// serde's message in our words, and whether it is about the key (an
/// unknown key) rather than the value.
fn describe_serde_error(raw: &str, path: &FieldPath, tree: &Entry) -> (String, bool) {
    if let Some(key) = path.last_key() {
        if let Some(rest) = raw.strip_prefix(&format!("unknown field `{key}`, ")) {
            return (unknown_key(key, rest), true);
        }
    }
    if let Some(Entry {
        node: Node::Scalar(toml::Value::String(value)),
        ..
    }) = tree.get(path)
    {
        if let Some(rest) = raw.strip_prefix(&format!("unknown variant `{value}`, ")) {
            return (unknown_value(value, rest), false);
        }
    }
    (wrong_value(raw, path, tree.get(path)), false)
}

/// Keys an earlier version read, and what took their place, so that an
/// old scenario file is told how to say the same thing now.
const RETIRED_KEYS: &[(&str, &str)] = &[
    ("trust_initial_min", OPENING_TRUST_IS_BETA),
    ("trust_initial_max", OPENING_TRUST_IS_BETA),
];

/// What replaced the uniform opening trust's two ends.
const OPENING_TRUST_IS_BETA: &str = "the opening trust is now a beta distribution: give \
    `trust_initial_mean` and `trust_initial_sd` (U(a, b) had mean (a + b)/2 and SD (b − a)/√12)";

/// `unknown key; did you mean `vision`? (expected one of `vision`, …)`
/// from the rest of serde's "unknown field" message.
fn unknown_key(key: &str, serde_rest: &str) -> String {
    let names = backticked(serde_rest);
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let expected = match quoted.as_slice() {
        [] => "no keys here".to_string(),
        [one] => one.clone(),
        [first, second] => format!("{first} or {second}"),
        _ => format!("one of {}", quoted.join(", ")),
    };
    if let Some((_, now)) = RETIRED_KEYS.iter().find(|(old, _)| *old == key) {
        return format!("unknown key: {now} (expected {expected})");
    }
    match did_you_mean(key, &names) {
        Some(name) => format!("unknown key; did you mean `{name}`? (expected {expected})"),
        None => format!("unknown key (expected {expected})"),
    }
}

/// `unknown value "moor"; did you mean "moore"? (expected one of …)`.
fn unknown_value(value: &str, serde_rest: &str) -> String {
    let names = backticked(serde_rest);
    let expected = one_of(&names);
    match did_you_mean(value, &names) {
        Some(name) => {
            format!("unknown value {value:?}; did you mean {name:?}? (expected {expected})")
        }
        None => format!("unknown value {value:?} (expected {expected})"),
    }
}

/// A type or value error: what was found, then what the field accepts, in
/// the words of [`validate::expected`].
fn wrong_value(raw: &str, path: &FieldPath, found: Option<&Entry>) -> String {
    let (serde_found, serde_expected) = match raw.rfind(", expected ") {
        Some(cut) => (&raw[..cut], Some(&raw[cut + ", expected ".len()..])),
        None => (raw, None),
    };
    // For a type error, describe the value in TOML's words: serde says
    // "map", "sequence", or for an enum field even "unit variant".
    let found = match found {
        // A whole number too large for TOML's 64-bit integers reaches us as
        // text (a `--set` value); say what is wrong with it.
        // Only unquoted text: a quoted number is a string (below).
        Some(Entry {
            node: Node::Scalar(toml::Value::String(text)),
            origin,
        }) if origin.text.is_none() && is_integer_literal(text) && text.parse::<i64>().is_err() => {
            format!("{text} is out of range")
        }
        // A number in quotes is text to TOML: say so rather than letting
        // serde's "invalid type" read as if the number itself were wrong.
        Some(Entry {
            node: Node::Scalar(toml::Value::String(text)),
            ..
        }) if serde_found.starts_with("invalid type: ") && text.trim().parse::<f64>().is_ok() => {
            format!("invalid type: string {text:?}, a number in quotes (write it without quotes)")
        }
        Some(entry) if serde_found.starts_with("invalid type: ") => {
            format!("invalid type: {}", describe_value(&entry.node))
        }
        _ => serde_found.to_string(),
    };
    match validate::expected(path).or(serde_expected.map(str::to_string)) {
        Some(expected) => format!("{found} (expected {expected})"),
        None => found,
    }
}

/// Whether `text` is a decimal integer (optional sign, digits only).
fn is_integer_literal(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A value's TOML type, with the value for scalars: `integer `3``.
fn describe_value(node: &Node) -> String {
    match node {
        Node::Table(_) => "table".to_string(),
        Node::Array(_) => "array".to_string(),
        Node::Scalar(toml::Value::String(s)) => format!("string {s:?}"),
        Node::Scalar(toml::Value::Integer(i)) => format!("integer `{i}`"),
        Node::Scalar(toml::Value::Float(f)) => format!("floating point `{f:?}`"),
        Node::Scalar(toml::Value::Boolean(b)) => format!("boolean `{b}`"),
        Node::Scalar(toml::Value::Datetime(d)) => format!("datetime `{d}`"),
        Node::Scalar(other) => other.type_str().to_string(),
    }
}

/// The first datetime in the tree: no field takes one, and serde would
/// read it as a string, accepting `name = 1979-05-27`.
fn find_datetime(entry: &Entry, path: FieldPath) -> Option<(FieldPath, &Entry)> {
    match &entry.node {
        Node::Scalar(toml::Value::Datetime(_)) => Some((path, entry)),
        Node::Scalar(_) => None,
        Node::Table(map) => map
            .iter()
            .find_map(|(key, child)| find_datetime(child, path.key(key))),
        Node::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, child)| find_datetime(child, path.index(i))),
    }
}

/// The candidate closest to `word`, if close enough to be a likely typo.
fn did_you_mean<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                c,
                strsim::jaro_winkler(word, c),
                strsim::levenshtein(word, c),
            )
        })
        .filter(|&(_, similarity, distance)| {
            similarity >= 0.8 || (distance <= 2 && distance < word.chars().count())
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _, _)| c.as_str())
}

// ---------------------------------------------------------------------------
// Locating errors.

/// Where the field at `path` was written: its key (`at_key`) or value, or,
/// for a field left at its default, the closest enclosing table that was
/// written, or else the file being loaded.
fn locate(tree: &Entry, path: &FieldPath, at_key: bool) -> Location {
    let mut enclosing = tree.origin.location(true);
    let mut entry = tree;
    for segment in &path.0 {
        let Some(child) = entry.child(segment) else {
            return enclosing;
        };
        entry = child;
        if entry.origin.is_written() {
            enclosing = entry.origin.location(true);
        }
    }
    if entry.origin.is_written() {
        entry.origin.location(at_key)
    } else {
        enclosing
    }
}

/// The rank of the layer that wrote the field at `path`, if one did.
fn written_rank(tree: &Entry, path: &FieldPath) -> Option<usize> {
    tree.get(path)
        .filter(|entry| entry.origin.is_written())
        .map(|entry| entry.origin.rank)
}

/// A violation as an error, blaming of its fields the one written last.
fn located_violation(violation: Violation, tree: &Entry) -> ScenarioError {
    let at_key = violation.at_key;
    let mut blamed = (violation.field, violation.message);
    let mut blamed_rank = written_rank(tree, &blamed.0);
    for (field, message) in violation.alternatives {
        let rank = written_rank(tree, &field);
        // Strictly later only: on a tie the default field is clearer.
        if rank > blamed_rank {
            blamed = (field, message);
            blamed_rank = rank;
        }
    }
    ScenarioError::field(locate(tree, &blamed.0, at_key), &blamed.0, &blamed.1)
}

// ---------------------------------------------------------------------------
// Maps.

/// Reads and checks the map, stores it inline and takes the grid size from
/// it, so that the resolved scenario is self-contained. The tree follows,
/// so that later errors about the size point at where the map was named.
fn resolve_map(scenario: &mut Scenario, tree: &mut Entry) -> Result<(), ScenarioError> {
    // Map characters are looked up in the legend: check its keys first.
    if let Some(violation) = validate::legend_violations(&scenario.world)
        .into_iter()
        .next()
    {
        return Err(located_violation(violation, tree));
    }
    let (terrain, origin) = if let Some(written) = scenario.world.map.take() {
        let origin = origin_at(tree, &FieldPath::keys(&["world", "map"]));
        let (text, terrain) = read_map_file(&written, &origin, scenario)?;
        // `\r\n` reads like `\n`; store plain rows so that the resolved
        // scenario shows the map as it looks.
        let text = text.replace("\r\n", "\n");
        inline_file(tree, ("map", "map_inline"), &text, &origin);
        scenario.world.map_inline = Some(text);
        (terrain, origin)
    } else if let Some(text) = &scenario.world.map_inline {
        let field = FieldPath::keys(&["world", "map_inline"]);
        let origin = origin_at(tree, &field);
        let terrain = check_map_text(
            text,
            scenario,
            &field,
            |line, col| map_text_location(&origin, line, col),
            origin.location(false),
        )?;
        (terrain, origin)
    } else {
        return Ok(());
    };
    scenario.world.width = terrain.width;
    scenario.world.height = terrain.height;
    for (key, size) in [("width", terrain.width), ("height", terrain.height)] {
        let entry = Entry::derived(toml::Value::Integer(size.into()), &origin);
        tree.set_leaf(&["world", key], entry);
    }
    Ok(())
}

/// The origin of the value at `path`, or the root's when it has none.
fn origin_at(tree: &Entry, path: &FieldPath) -> Origin {
    tree.get(path)
        .map_or_else(|| tree.origin.clone(), |entry| entry.origin.clone())
}

/// Reads a map layer file (terrain or sectors) named `written` relative to
/// the file that names it; a failure is located at the naming field.
fn read_layer_file(
    written: &str,
    origin: &Origin,
    field: &FieldPath,
) -> Result<(std::path::PathBuf, String), ScenarioError> {
    let path = relative_to(&origin.file, written);
    let text = read_text(&path).map_err(|e| {
        ScenarioError::field(
            origin.location(false),
            field,
            &format!("cannot read {written}: {}", io_reason(&e)),
        )
    })?;
    Ok((path, text))
}

/// Reads and checks the map file named `written` (relative to the file
/// that names it); errors inside it are located in the map file.
fn read_map_file(
    written: &str,
    origin: &Origin,
    scenario: &Scenario,
) -> Result<(String, TerrainMap), ScenarioError> {
    let field = FieldPath::keys(&["world", "map"]);
    let (path, text) = read_layer_file(written, origin, &field)?;
    let file = path.display().to_string();
    // A map with no passable cell is located where the scenario names it.
    let terrain = check_map_text(
        &text,
        scenario,
        &field,
        |line, col| Location::at(&file, line, col),
        origin.location(false),
    )?;
    Ok((text, terrain))
}

/// In the tree, the map file named at `origin` (key `file` of `[world]`)
/// becomes an inline map (key `inline`) located there.
fn inline_file(tree: &mut Entry, (file, inline): (&str, &str), text: &str, origin: &Origin) {
    if let Some(world) = tree.table_at_mut(&["world"]) {
        world.remove(file);
    }
    let text_entry = Entry::derived(toml::Value::String(text.to_string()), origin);
    tree.set_leaf(&["world", inline], text_entry);
}

/// Parses map text with the scenario's legend and requires a passable cell;
/// `cell` locates a map line and column, `whole` the map as a whole.
fn check_map_text(
    text: &str,
    scenario: &Scenario,
    field: &FieldPath,
    cell: impl Fn(usize, usize) -> Location,
    whole: Location,
) -> Result<TerrainMap, ScenarioError> {
    let terrain = TerrainMap::parse(text, &scenario.world.legend)
        .map_err(|e| ScenarioError::field(cell(e.line, e.col), field, &e.message))?;
    if terrain.passable_cells() == 0 {
        let violation = validate::no_passable_cell(field.clone());
        return Err(ScenarioError::field(whole, field, &violation.message));
    }
    Ok(terrain)
}

/// Reads and checks the sector map (after the terrain, whose size it must
/// have) and stores it inline, like the terrain map.
fn resolve_sectors(scenario: &mut Scenario, tree: &mut Entry) -> Result<(), ScenarioError> {
    if let Some(written) = scenario.world.sectors.take() {
        let field = FieldPath::keys(&["world", "sectors"]);
        let origin = origin_at(tree, &field);
        let (path, text) = read_layer_file(&written, &origin, &field)?;
        let file = path.display().to_string();
        check_sector_text(&text, scenario, &field, |line, col| {
            Location::at(&file, line, col)
        })?;
        let text = text.replace("\r\n", "\n");
        inline_file(tree, ("sectors", "sectors_inline"), &text, &origin);
        scenario.world.sectors_inline = Some(text);
    } else if let Some(text) = &scenario.world.sectors_inline {
        let field = FieldPath::keys(&["world", "sectors_inline"]);
        let origin = origin_at(tree, &field);
        check_sector_text(text, scenario, &field, |line, col| {
            map_text_location(&origin, line, col)
        })?;
    }
    Ok(())
}

/// Parses sector map text with the scenario's sector names and requires
/// the size of the world; `cell` locates a line and column of the text.
fn check_sector_text(
    text: &str,
    scenario: &Scenario,
    field: &FieldPath,
    cell: impl Fn(usize, usize) -> Location,
) -> Result<(), ScenarioError> {
    let world = &scenario.world;
    SectorMap::parse(text, &world.sector_names)
        .and_then(|sectors| sectors.check_size(world.width, world.height))
        .map_err(|e| ScenarioError::field(cell(e.line, e.col), field, &e.message))
}

/// The location in the scenario of row `line`, column `col` of an inline
/// map: exact for a `"""` string whose rows are lines of the file and for
/// the first row of any string, else the start of the string.
fn map_text_location(origin: &Origin, line: usize, col: usize) -> Location {
    match origin.text {
        Some(start) if line <= 1 => Location::at(
            &origin.file,
            start.pos.line,
            start.pos.col + col.saturating_sub(1),
        ),
        Some(start) if start.multiline => {
            Location::at(&origin.file, start.pos.line + line.saturating_sub(1), col)
        }
        _ => origin.location(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, overrides: &[&str]) -> String {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        load_str(text, "s.toml", &overrides)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_recursion_limit_is_located() {
        // toml_edit's error has no span: located at the deep key.
        let deep = format!("name = \"x\"\n{} = 1\n", vec!["a"; 3000].join("."));
        let e = err(&deep, &[]);
        assert!(e.starts_with("s.toml:2:"), "{e}");
        let header = format!("[{}]\n", vec!["a"; 3000].join("."));
        assert!(err(&header, &[]).starts_with("s.toml:1:"));
    }

    #[test]
    fn an_array_of_tables_for_a_table_says_so() {
        let e = err(
            "name = \"m\"\n[[mission.mandate]]\ndisarmament = \"forced\"\n",
            &[],
        );
        assert!(
            e.starts_with("s.toml:2:1: field mission.mandate: an array of tables where a table")
                && e.contains("not [[mission.mandate]]"),
            "{e}"
        );
    }

    #[test]
    fn a_defaulted_torus_with_a_mission_blames_the_mission_table() {
        let e = err("name = \"m\"\n[mission]\n", &[]);
        assert!(
            e.starts_with("s.toml:2:1: field mission: a [mission] table"),
            "{e}"
        );
        let e = err("[world]\ntopology = \"torus\"\n[mission]\n", &[]);
        assert!(e.starts_with("s.toml:2:12: field world.topology:"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, b"name = \"a\"\ndescription = \"\xff\"\n").unwrap();
        let e = load(&path, &[]).unwrap_err().to_string();
        assert!(
            e.contains("bad.toml:2:16: TOML syntax: not UTF-8 text"),
            "{e}"
        );
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let source = Source::new("f", "ab\néx\n");
        assert_eq!(source.pos(0), Pos { line: 1, col: 1 });
        assert_eq!(source.pos(3), Pos { line: 2, col: 1 });
        assert_eq!(source.pos(5), Pos { line: 2, col: 2 });
        assert_eq!(source.pos(4), Pos { line: 2, col: 2 }, "inside é");
        assert_eq!(source.pos(99), Pos { line: 3, col: 1 });
    }

    #[test]
    fn positions_are_the_same_in_any_visiting_order() {
        let text = "a = [1, 2, 3]\nbé = [\"é\", 22, 333]\n";
        let forward = Source::new("f", text);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        let there: Vec<Pos> = offsets.iter().map(|&o| forward.pos(o)).collect();
        let backward = Source::new("f", text);
        for &o in offsets.iter().rev() {
            assert_eq!(backward.pos(o), there[o], "offset {o}");
        }
    }

    #[test]
    fn locating_a_long_one_line_array_is_linear() {
        // The issue's case: locating every value of one long line used to
        // count from the line's start each time (quadratic: 45 s for 640 KB).
        let values: Vec<String> = (1..=20_000)
            .map(|t| format!("{{ tick = {t}, fraction = 0.0001 }}"))
            .collect();
        let text = format!("[cops]\nreductions = [{}]\n", values.join(", "));
        let source = Source::new("f", &text);
        source.parse().expect("valid TOML");
        let scanned = source.scanned.get();
        assert!(
            scanned <= 2 * text.len(),
            "{scanned} bytes counted for a {}-byte text",
            text.len()
        );
    }

    #[test]
    fn a_quoted_number_is_a_type_error_not_out_of_range() {
        let e = err("[citizens]\nvision = \"5\"\n", &[]);
        assert!(
            e.contains(
                "s.toml:2:10: field citizens.vision: invalid type: string \"5\", a number in quotes"
            ),
            "{e}"
        );
        assert!(e.contains("(expected an integer in 1..=50)"), "{e}");
        let e = err("[mission.mandate]\nforce_scale = \"2\"\n", &[]);
        assert!(e.contains("a number in quotes"), "{e}");
        // A whole number too large for TOML still reads as out of range.
        let e = err("", &["run.ticks=99999999999999999999"]);
        assert!(e.contains("99999999999999999999 is out of range"), "{e}");
    }

    #[test]
    fn key_columns_handle_quotes() {
        let cols = |raw: &str| -> Vec<usize> {
            parse_steps(raw).unwrap().iter().map(|(_, c)| *c).collect()
        };
        assert_eq!(cols("citizens.vision"), [1, 10]);
        assert_eq!(cols(r#"world.legend."." "#), [1, 7, 14]);
        assert_eq!(cols(" a . b"), [2, 6]);
        let steps: Vec<Step> = parse_steps("m.c[2].t")
            .unwrap()
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            steps,
            [
                Step::Key("m".into()),
                Step::Key("c".into()),
                Step::Index(2),
                Step::Key("t".into())
            ]
        );
        let steps: Vec<Step> = parse_steps("c[ name = \"x y\" ].t")
            .unwrap()
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(steps[1], Step::Field("name".into(), "x y".into()));
        assert!(parse_steps("c[").is_err());
        assert!(parse_steps("c[x]").is_err());
        assert!(parse_steps("c]").is_err());
    }

    #[test]
    fn unquoted_equals_skips_quoted_keys() {
        assert_eq!(unquoted_equals(r#"world.legend."="=open"#), Some(16));
        assert_eq!(unquoted_equals("a.b"), None);
    }

    #[test]
    fn suggestions() {
        let names: Vec<String> = ["vision", "threshold"].map(String::from).to_vec();
        assert_eq!(did_you_mean("visoin", &names), Some("vision"));
        assert_eq!(did_you_mean("treshold", &names), Some("threshold"));
        assert_eq!(did_you_mean("zzz", &names), None);
    }

    #[test]
    fn unknown_key_with_suggestion() {
        assert_eq!(
            err("[citizens]\nvisoin = 3\n", &[]),
            "s.toml:2:1: field citizens.visoin: unknown key; did you mean `vision`? \
             (expected one of `vision`, `threshold`, `arrest_constant`, `hardship`, `risk_aversion`)"
        );
    }

    #[test]
    fn a_retired_key_says_what_took_its_place() {
        let message = err("[mission.civilians]\ntrust_initial_min = 0.1\n", &[]);
        assert!(
            message.starts_with(
                "s.toml:2:1: field mission.civilians.trust_initial_min: unknown key: the opening \
                 trust is now a beta distribution: give `trust_initial_mean` and `trust_initial_sd`"
            ),
            "{message}"
        );
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        assert_eq!(
            err("[citizens]\nvision = \"seven\"\n", &[]),
            "s.toml:2:10: field citizens.vision: invalid type: string \"seven\" (expected an integer in 1..=50)"
        );
    }

    #[test]
    fn enum_value_with_suggestion() {
        assert_eq!(
            err("rules.neighbourhood = \"moor\"\n", &[]),
            "s.toml:1:23: field rules.neighbourhood: unknown value \"moor\"; did you mean \"moore\"? \
             (expected one of \"von_neumann\", \"moore\", \"euclidean\")"
        );
    }

    #[test]
    fn syntax_error_is_one_located_line() {
        let message = err("a = 1\nb = \n", &[]);
        assert!(
            message.starts_with("s.toml:2:5: TOML syntax: "),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    #[test]
    fn locate_falls_back_to_the_enclosing_table_then_the_file() {
        let layers = read_chain("[citizens]\nthreshold = 0.2\n", "s.toml").unwrap();
        let tree = merge_layers(layers, "s.toml");
        let vision = FieldPath::keys(&["citizens", "vision"]);
        let ticks = FieldPath::keys(&["run", "ticks"]);
        let threshold = FieldPath::keys(&["citizens", "threshold"]);
        assert_eq!(locate(&tree, &vision, false).to_string(), "s.toml:1:2");
        assert_eq!(locate(&tree, &ticks, false).to_string(), "s.toml");
        assert_eq!(locate(&tree, &threshold, false).to_string(), "s.toml:2:13");
        assert_eq!(locate(&tree, &threshold, true).to_string(), "s.toml:2:1");
    }

    #[test]
    fn integers_too_large_for_toml_are_out_of_range() {
        assert_eq!(
            err("", &["run.seed=9223372036854775808"]),
            "--set:1:10: field run.seed: 9223372036854775808 is out of range \
             (expected an integer in 0..=9_223_372_036_854_775_807)"
        );
        // Text that is not a number is still a type error.
        assert!(err("", &["run.seed=abc"]).contains("invalid type: string \"abc\""));
    }

    #[test]
    fn extends_cannot_be_set() {
        assert!(
            err("", &["extends=x.toml"]).starts_with("--set:1:1: field extends: cannot be set")
        );
    }

    #[test]
    fn rule_blames_the_field_written_last() {
        // burn_in (default 100) is blamed, but ticks was written: blame ticks.
        assert_eq!(
            err("[run]\nticks = 50\n", &[]),
            "s.toml:2:9: field run.ticks: 50 is not greater than run.burn_in = 100 (expected an integer in 101..=1_000_000)"
        );
        // vision is written, the grid size is not: blame vision.
        assert_eq!(
            err("citizens.vision = 50\n", &[]),
            "s.toml:1:19: field citizens.vision: 50 is too large for a 40×40 torus: 2·50+1 = 101 cells would wrap onto themselves (expected an integer in 1..=19)"
        );
    }

    #[test]
    fn set_value_and_key_columns() {
        assert_eq!(
            err("", &["citizens.vision=abc"]),
            "--set:1:17: field citizens.vision: invalid type: string \"abc\" (expected an integer in 1..=50)"
        );
        assert!(
            err("", &["citizens.visoin=3"]).starts_with(
                "--set:1:10: field citizens.visoin: unknown key; did you mean `vision`?"
            )
        );
        assert!(
            err("", &["run.ticks 5"]).starts_with("--set:1:1: field \"run.ticks 5\": missing `=`")
        );
        assert!(err("", &["a..b=1"]).starts_with("--set:1:1: field \"a..b\": invalid key path"));
    }

    #[test]
    fn set_inside_an_inline_value_is_located() {
        assert_eq!(
            err("", &["cops.reductions=[{tick = 5, fraction = 2.0}]"]),
            "--set:1:40: field cops.reductions[0].fraction: 2 is out of range (expected a number in 0..=1)"
        );
    }

    #[test]
    fn set_reaches_entries_of_arrays_of_tables() {
        let text = "[[cops.reductions]]\ntick = 5\nfraction = 0.1\n\n\
                    [[cops.reductions]]\ntick = 9\nfraction = 0.2\n";
        let set = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            load_str(text, "s.toml", &args)
        };
        let sc = set(&["cops.reductions[1].fraction=0.5"]).unwrap();
        assert_eq!(sc.cops.reductions[1].fraction, 0.5);
        assert_eq!(
            sc.cops.reductions[0].fraction, 0.1,
            "the other entry is kept"
        );
        assert_eq!(
            sc.cops.reductions[1].tick, 9,
            "the entry's other fields are kept"
        );
        let sc = set(&["cops.reductions[tick=5].fraction=0.3"]).unwrap();
        assert_eq!(sc.cops.reductions[0].fraction, 0.3);
        // Errors inside an entry are located at the value and name the index.
        assert_eq!(
            err(text, &["cops.reductions[1].fraction=2"]),
            "--set:1:29: field cops.reductions[1].fraction: 2 is out of range (expected a number in 0..=1)"
        );
        assert_eq!(
            err(text, &["cops.reductions[2].fraction=0.5"]),
            "--set:1:16: field cops.reductions: no entry [2] (expected an index in 0..=1)"
        );
        assert!(
            err(text, &["cops.reductions[tick=6].fraction=0.5"])
                .starts_with("--set:1:16: field cops.reductions: no entry with tick = \"6\""),
        );
        assert!(
            err(text, &["citizens[0].vision=3"]).contains("is not an array of tables"),
            "{}",
            err(text, &["citizens[0].vision=3"])
        );
    }

    #[test]
    fn set_by_name_finds_the_entry_named() {
        let items: Vec<Entry> = ["a", "european"]
            .iter()
            .map(|name| {
                let mut map = BTreeMap::new();
                map.insert(
                    "name".to_string(),
                    unwritten(toml::Value::String(name.to_string()), &Origin::file("f")),
                );
                Entry {
                    node: Node::Table(map),
                    origin: Origin::file("f"),
                }
            })
            .collect();
        assert_eq!(entry_named(&items, "", "european"), Some(1));
        assert_eq!(entry_named(&items, "name", "a"), Some(0));
        assert_eq!(entry_named(&items, "id", "a"), None);
        assert!(no_entry_named(&items, "", "europeen").contains("did you mean \"european\"?"));
    }

    #[test]
    fn several_sets_name_the_one_in_error() {
        assert_eq!(
            err("", &["citizens.vision=5", "run.ticks=abc"]),
            "--set #2 (run.ticks=abc):1:11: field run.ticks: invalid type: string \"abc\" \
             (expected an integer in 1..=1_000_000)"
        );
        assert!(
            err("", &["citizens.visoin=5", "run.ticks=200"]).starts_with(
                "--set #1 (citizens.visoin=5):1:10: field citizens.visoin: unknown key"
            )
        );
        assert!(is_set_file("--set #3 (a=1)") && is_set_file(SET_FILE) && !is_set_file("a.toml"));
    }

    #[test]
    fn a_quoted_huge_integer_is_a_string_not_out_of_range() {
        let e = err("[run]\nseed = \"99999999999999999999\"\n", &[]);
        assert!(
            e.contains("invalid type: string \"99999999999999999999\", a number in quotes"),
            "{e}"
        );
        assert!(!e.contains("out of range"), "{e}");
    }

    #[test]
    fn inline_map_errors_are_located_in_the_scenario() {
        let text = "[world]\nmap_inline = \"\"\"\n...\n.x.\n\"\"\"\n";
        assert_eq!(
            err(text, &[]),
            "s.toml:4:2: field world.map_inline: unknown character 'x' (expected one of '#', '.')"
        );
        let one_line = "world.map_inline = \"..x\"\n";
        assert!(err(one_line, &[]).starts_with("s.toml:1:23: "));
    }

    #[test]
    fn inline_map_sets_the_size() {
        let text = "world.topology = \"bounded\"\nworld.map_inline = \"...#\\n....\\n\"\n";
        let scenario = load_str(text, "s.toml", &[]).unwrap();
        assert_eq!((scenario.world.width, scenario.world.height), (4, 2));
    }
}
