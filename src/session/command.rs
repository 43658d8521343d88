//! Everything the session can be asked to do, in one enum. The named commands (menus, shortcuts,
//! the palette, F1 help) carry their name, help text, menu and shortcuts here; the commands that
//! carry data (a click at a char offset, a label to apply, a search) are what views send.
//!
//! Offsets in commands are char (code point) offsets, end-exclusive, like everywhere.
//! Shortcuts are described without any UI crate ([`Shortcut`]); the window maps them to its keys.

use crate::model::Scheme;
use crate::model::{DocId, Label};
use crate::store::formats::Format;
use crate::text::CharSpan;
use std::path::PathBuf;

use super::Selection;

/// A command: a named action (unit variants) or an action with its data.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    NewProject,
    OpenProject,
    ImportArticles,
    Export,
    Save,
    SaveAs,
    TypePath,
    Undo,
    Redo,
    Find,
    NextDocument,
    PrevDocument,
    NextSuggestion,
    PrevSuggestion,
    Accept,
    Reject,
    Remove,
    AcceptAll,
    EndLeft,
    EndRight,
    StartLeft,
    StartRight,
    MarkDone,
    FlagDocument,
    SkipDocument,
    CaretLeft,
    CaretRight,
    RefreshSuggestions,
    RefreshAll,
    SearchProject,
    Consistency,
    Statistics,
    ClearSelection,
    ToggleTheme,
    ToggleMoveOnDone,
    Guidelines,
    ModelWindow,
    LearnNow,
    ReviewSuggestions,
    ToggleUsefulOrder,
    AnnotatorName,
    Agreement,
    Adjudicate,
    ToggleMajority,
    Palette,
    Help,
    Quit,

    // ---- commands with data (sent by views and dialogs; not in menus) ----
    /// Show document `i` of the list.
    GoTo(usize),
    /// Filter the document list by title or id.
    SetFilter(String),
    /// Show only documents with this status (`None`: all).
    SetStatusFilter(Option<crate::model::Status>),
    /// Show only the documents assigned to me (in a team project with assignments).
    SetMineOnly(bool),
    /// Annotate as this person (a team project: in their own layer; remembered on this machine).
    SetAnnotator(String),
    /// Work on the main (adjudicated) layer of a team project.
    UseMainLayer,
    /// While adjudicating: annotator N's version (from 0) of the disagreement at the selection.
    TakeVersion(usize),
    /// While adjudicating: annotator N's version (from 0) of every disagreement left.
    TakeAllFrom(usize),
    /// Adjudicate this document (from the agreement window): in the main layer.
    AdjudicateDoc(DocId),
    /// Select this (a suggestion in the list, a search hit) and scroll to it.
    Select(Selection),
    /// Select a text range, snapped to tokens unless `exact`.
    SelectRange {
        range: CharSpan,
        exact: bool,
    },
    /// A click at a char offset of the article: selects the entity or suggestion there.
    Click(usize),
    /// A double click at a char offset: selects the token there.
    DoubleClick(usize),
    /// A label key or button: tag the selection, relabel the entity, or accept the suggestion as it.
    ApplyLabel(String),
    SetSpanNote {
        span: CharSpan,
        label: String,
        note: String,
    },
    /// The note of the document on screen.
    SetDocNote(String),
    /// Flag the document on screen, with this reason.
    Flag(String),
    /// Make this item of the review the current one.
    ReviewPick(usize),
    /// Replace the project's guidelines (written to `guidelines.md` when there is a folder).
    SetGuidelines(String),
    /// What "Accept all" takes: one label (or all), and a minimum score.
    SetAcceptFilter {
        label: Option<String>,
        min_score: f32,
    },
    AddLabel(String),
    UpdateLabel(usize, Label),
    RenameLabel {
        from: String,
        to: String,
    },
    /// Delete a label: asks first when entities use it.
    DeleteLabel(String),
    /// Delete a label and the entities that use it (after the person said yes).
    ConfirmDeleteLabel(String),
    /// Open a project folder, import files, or save into a new folder (from a dialog or a path).
    OpenPath(PathBuf),
    ImportPaths(Vec<PathBuf>),
    SaveAsPath(PathBuf),
    ExportTo(ExportRequest),
    ResolveDiskChange {
        id: DocId,
        reload: bool,
    },
    DismissProjectNews,
    RestoreRecovered,
    DiscardRecovered,
    DismissError,
    DismissConfirm,
    /// The window was asked to close (its close button): save, or ask.
    CloseRequested,
    /// Close without saving (after the person said so).
    QuitWithoutSaving,
    CancelJob,
    /// Look for changes other processes made on disk now (autosave also does, periodically).
    CheckDisk,
    /// Search every document.
    RunSearch(SearchRequest),
    /// Run the consistency check again.
    RecheckConsistency,
    /// Show a place: open the document, select the range (or the entity with this label).
    Visit {
        doc: usize,
        span: CharSpan,
        label: Option<String>,
    },
    /// Preview tagging every hit of the last search with a label.
    PreviewTagAll(String),
    /// Preview making every place of the inconsistency `item` carry `to` (`None`: untagged).
    PreviewFix {
        item: usize,
        to: Option<String>,
    },
    ApplyBulk,
    CancelBulk,
    /// A project tool window (search, consistency, statistics) was closed.
    CloseTool(super::JobKind),
}

/// An export, as the export form describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    pub format: Format,
    pub path: PathBuf,
    pub only_done: bool,
    /// Also documents flagged or skipped.
    pub include_set_aside: bool,
    pub include_suggestions: bool,
    pub scheme: Scheme,
}

/// A project search, as the search window describes it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SearchRequest {
    pub pattern: String,
    pub regex: bool,
    pub case_sensitive: bool,
    pub whole_word: bool,
}

/// The menus of the menu bar, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Annotate,
    Project,
    View,
    Help,
}

impl Menu {
    pub const ALL: &'static [Menu] = &[
        Menu::File,
        Menu::Edit,
        Menu::Annotate,
        Menu::Project,
        Menu::View,
        Menu::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Annotate => "Annotate",
            Menu::Project => "Project",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }
}

/// Modifier keys of a shortcut (`command` is Ctrl, or Cmd on a Mac).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mods {
    pub command: bool,
    pub shift: bool,
}

/// A keyboard shortcut: modifiers and a key name (`"Z"`, `"Tab"`, `"PageDown"`, `"F5"`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shortcut {
    pub mods: Mods,
    pub key: &'static str,
}

/// A `&'static [Shortcut]` (const fn calls are not promoted to statics on their own).
macro_rules! ks {
    ($($s:expr),*) => {{
        const S: &[Shortcut] = &[$($s),*];
        S
    }};
}

const fn sc(command: bool, shift: bool, key: &'static str) -> Shortcut {
    Shortcut {
        mods: Mods { command, shift },
        key,
    }
}
const fn plain(key: &'static str) -> Shortcut {
    sc(false, false, key)
}
const fn ctrl(key: &'static str) -> Shortcut {
    sc(true, false, key)
}
const fn shift(key: &'static str) -> Shortcut {
    sc(false, true, key)
}
const fn ctrl_shift(key: &'static str) -> Shortcut {
    sc(true, true, key)
}

impl Command {
    /// The named commands, in menu order.
    pub const ALL: &'static [Command] = &[
        Command::NewProject,
        Command::OpenProject,
        Command::ImportArticles,
        Command::Export,
        Command::Save,
        Command::SaveAs,
        Command::TypePath,
        Command::Undo,
        Command::Redo,
        Command::Find,
        Command::NextDocument,
        Command::PrevDocument,
        Command::NextSuggestion,
        Command::PrevSuggestion,
        Command::Accept,
        Command::Reject,
        Command::Remove,
        Command::AcceptAll,
        Command::EndLeft,
        Command::EndRight,
        Command::StartLeft,
        Command::StartRight,
        Command::MarkDone,
        Command::FlagDocument,
        Command::SkipDocument,
        Command::CaretLeft,
        Command::CaretRight,
        Command::RefreshSuggestions,
        Command::RefreshAll,
        Command::SearchProject,
        Command::Consistency,
        Command::Statistics,
        Command::ClearSelection,
        Command::ToggleTheme,
        Command::ToggleMoveOnDone,
        Command::Guidelines,
        Command::ModelWindow,
        Command::LearnNow,
        Command::ReviewSuggestions,
        Command::ToggleUsefulOrder,
        Command::AnnotatorName,
        Command::Agreement,
        Command::Adjudicate,
        Command::ToggleMajority,
        Command::Palette,
        Command::Help,
        Command::Quit,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Command::NewProject => "New project",
            Command::OpenProject => "Open project…",
            Command::ImportArticles => "Import articles…",
            Command::Export => "Export dataset…",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::TypePath => "Type a path…",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Find => "Find in article",
            Command::NextDocument => "Next document",
            Command::PrevDocument => "Previous document",
            Command::NextSuggestion => "Next suggestion",
            Command::PrevSuggestion => "Previous suggestion",
            Command::Accept => "Accept suggestion",
            Command::Reject => "Reject suggestion",
            Command::Remove => "Remove entity",
            Command::AcceptAll => "Accept all",
            Command::EndLeft => "Move end left",
            Command::EndRight => "Move end right",
            Command::StartLeft => "Move start left",
            Command::StartRight => "Move start right",
            Command::MarkDone => "Mark done / not done",
            Command::FlagDocument => "Flag document… / unflag",
            Command::SkipDocument => "Skip document / unskip",
            Command::CaretLeft => "Previous token",
            Command::CaretRight => "Next token",
            Command::RefreshSuggestions => "Re-run suggestions",
            Command::RefreshAll => "Re-run suggestions on all documents",
            Command::SearchProject => "Search the project…",
            Command::Consistency => "Check consistency…",
            Command::Statistics => "Statistics…",
            Command::ClearSelection => "Clear selection",
            Command::ToggleTheme => "Dark / light theme",
            Command::ToggleMoveOnDone => "Move on after Mark done",
            Command::Guidelines => "Guidelines",
            Command::ModelWindow => "Model…",
            Command::LearnNow => "Learn from documents marked done",
            Command::ReviewSuggestions => "Review suggestions, least sure first…",
            Command::ToggleUsefulOrder => "Most useful documents first",
            Command::AnnotatorName => "Annotator name and layer…",
            Command::Agreement => "Agreement between annotators…",
            Command::Adjudicate => "Adjudicate this document",
            Command::ToggleMajority => "Majority rule when adjudicating",
            Command::Quit => "Quit",
            Command::Palette => "Command palette",
            Command::Help => "Keyboard shortcuts",
            _ => "",
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            Command::NewProject => "Start an empty, unsaved project",
            Command::OpenProject => "Open a project folder",
            Command::ImportArticles => "Add articles or annotated datasets (txt, md, html, jsonl, doccano, Label Studio, brat, CoNLL), with suggestions",
            Command::Export => "Write the project as jsonl, doccano, Label Studio, brat, CoNLL or spaCy DocBin",
            Command::Save => "Write changed documents to the project folder",
            Command::SaveAs => "Save the project into a new folder",
            Command::TypePath => "Open, import or save by typing a path (when no file dialog is available)",
            Command::Undo => "Undo the last change in this document (a change made to several documents at once is undone in all of them)",
            Command::Redo => "Redo the last undone change",
            Command::Find => "Find text in the article and highlight the hits",
            Command::NextDocument => "Go to the next document in the list",
            Command::PrevDocument => "Go to the previous document in the list",
            Command::NextSuggestion => "Select the next pending suggestion",
            Command::PrevSuggestion => "Select the previous pending suggestion",
            Command::Accept => "Accept the selected suggestion",
            Command::Reject => "Reject the selected suggestion (it will not be suggested again), or remove the selected entity",
            Command::Remove => "Remove the selected entity, or reject the selected suggestion",
            Command::AcceptAll => "Accept every pending suggestion of this document (filtered by the label and score in the side panel), as one undo step",
            Command::EndLeft => "Move the selected entity's (or selection's) end one token left",
            Command::EndRight => "Move the selected entity's (or selection's) end one token right: with the arrows, Shift extends",
            Command::StartLeft => "Move the selected entity's start one token left",
            Command::StartRight => "Move the selected entity's start one token right",
            Command::MarkDone => "Mark this document done (or back to in progress)",
            Command::FlagDocument => "Flag this document with a reason, for someone to look at (flagged documents are left out of exports and learning); again to unflag",
            Command::SkipDocument => "Skip this document without annotating it and open the next one (skipped documents are left out of exports and learning); again to unskip",
            Command::CaretLeft => "Select the previous token, or the entity or suggestion there; then Shift+arrows extend, a label key tags",
            Command::CaretRight => "Select the next token, or the entity or suggestion there; then Shift+arrows extend, a label key tags",
            Command::RefreshSuggestions => "Run the extractor again on this document (rejected and confirmed spans stay)",
            Command::RefreshAll => "Run the extractor again on every document, in the background (cancellable)",
            Command::SearchProject => "Find text or a regular expression in every document, see the hits in context, jump to one, or tag them all (previewed, one undo step)",
            Command::Consistency => "List strings tagged differently in different places (or tagged in one and untagged in another); visit them or fix them all at once",
            Command::Statistics => "Entities per label, documents done over time, and how often suggestions are accepted, by label and by recognizer",
            Command::ClearSelection => "Clear the selection",
            Command::ToggleTheme => "Switch between the dark and light theme",
            Command::ToggleMoveOnDone => "Whether Mark done (Ctrl+D) also opens the next document not done yet (on at first)",
            Command::Guidelines => "Show (and edit) the project's annotation guidelines, guidelines.md in the project folder",
            Command::ModelWindow => "Which model suggests, its F1 per label on documents marked done that it did not learn from, and what the last learning run decided and why",
            Command::ReviewSuggestions => "Every pending suggestion of the project in one list, least confident first: Enter accepts, Backspace rejects, a label key accepts as that label, Tab moves, Ctrl+Z takes a decision back; no document needs opening",
            Command::Agreement => "How much the annotators' layers agree: span F1 per pair and label, Cohen's and Fleiss' kappa, Krippendorff's alpha, and the documents agreed on least (click one to adjudicate it)",
            Command::Adjudicate => "Compare the annotators' versions of this document (in the main layer): what all agree on is accepted, each disagreement is offered with who marked it; Enter or Ctrl+N takes one, Ctrl+Shift+N takes annotator N's for the rest",
            Command::ToggleMajority => "With three or more annotators, a span most of them marked counts as agreed when adjudicating",
            Command::AnnotatorName => "Who is annotating in a team project: your work is saved in your own layer (layers/NAME/), apart from the others'; or work on the main, adjudicated layer",
            Command::ToggleUsefulOrder => "Order the document list by how much annotating each would teach: uncertain suggestions and labels with few examples first (again: project order)",
            Command::LearnNow => "Learn from the documents marked done now (Mark done also does); the result suggests only if it does at least as well on documents it did not learn from",
            Command::Quit => "Save and close the window (asks first when changes are in no folder)",
            Command::Palette => "Find any command by typing part of its name",
            Command::Help => "Show every shortcut",
            _ => "",
        }
    }

    /// The menu a named command is listed in (`None` for commands with data).
    pub fn menu(&self) -> Option<Menu> {
        Some(match self {
            Command::NewProject
            | Command::OpenProject
            | Command::ImportArticles
            | Command::Export
            | Command::Save
            | Command::SaveAs
            | Command::TypePath
            | Command::Quit => Menu::File,
            Command::Undo | Command::Redo | Command::Find | Command::ClearSelection => Menu::Edit,
            Command::NextDocument
            | Command::PrevDocument
            | Command::ToggleTheme
            | Command::ToggleMoveOnDone
            | Command::Guidelines
            | Command::ModelWindow
            | Command::ToggleUsefulOrder
            | Command::Palette => Menu::View,
            Command::Help => Menu::Help,
            Command::SearchProject
            | Command::Consistency
            | Command::Statistics
            | Command::LearnNow
            | Command::ReviewSuggestions
            | Command::AnnotatorName
            | Command::Agreement
            | Command::Adjudicate
            | Command::ToggleMajority
            | Command::RefreshAll => Menu::Project,
            Command::NextSuggestion
            | Command::PrevSuggestion
            | Command::Accept
            | Command::Reject
            | Command::Remove
            | Command::AcceptAll
            | Command::EndLeft
            | Command::EndRight
            | Command::StartLeft
            | Command::StartRight
            | Command::MarkDone
            | Command::FlagDocument
            | Command::SkipDocument
            | Command::CaretLeft
            | Command::CaretRight
            | Command::RefreshSuggestions => Menu::Annotate,
            _ => return None,
        })
    }

    /// Shortcuts; the first is shown in menus.
    pub fn shortcuts(&self) -> &'static [Shortcut] {
        match self {
            Command::NewProject => ks!(ctrl("N")),
            Command::OpenProject => ks!(ctrl("O")),
            Command::ImportArticles => ks!(ctrl("I")),
            Command::Export => ks!(ctrl("E")),
            Command::Save => ks!(ctrl("S")),
            Command::SaveAs => ks!(ctrl_shift("S")),
            Command::TypePath => ks!(ctrl("L")),
            Command::Undo => ks!(ctrl("Z")),
            Command::Redo => ks!(ctrl_shift("Z"), ctrl("Y")),
            Command::Find => ks!(ctrl("F")),
            Command::NextDocument => ks!(ctrl("PageDown")),
            Command::PrevDocument => ks!(ctrl("PageUp")),
            Command::NextSuggestion => ks!(plain("Tab")),
            Command::PrevSuggestion => ks!(shift("Tab")),
            Command::Accept => ks!(plain("Enter")),
            Command::Reject => ks!(plain("Backspace")),
            Command::Remove => ks!(plain("Delete")),
            Command::AcceptAll => ks!(ctrl_shift("Enter")),
            Command::EndLeft => ks!(shift("ArrowLeft")),
            Command::EndRight => ks!(shift("ArrowRight")),
            Command::StartLeft => ks!(ctrl_shift("ArrowLeft")),
            Command::StartRight => ks!(ctrl_shift("ArrowRight")),
            Command::MarkDone => ks!(ctrl("D")),
            Command::FlagDocument => ks!(ctrl("B")),
            Command::SkipDocument => ks!(ctrl("K")),
            Command::CaretLeft => ks!(plain("ArrowLeft")),
            Command::CaretRight => ks!(plain("ArrowRight")),
            Command::RefreshSuggestions => ks!(plain("F5")),
            Command::RefreshAll => ks!(shift("F5")),
            Command::SearchProject => ks!(ctrl_shift("F")),
            Command::Consistency => ks!(ctrl_shift("K")),
            Command::Statistics => ks!(ctrl_shift("T")),
            Command::ClearSelection => ks!(plain("Escape")),
            Command::Palette => ks!(ctrl_shift("P")),
            Command::Help => ks!(plain("F1")),
            Command::Quit => ks!(ctrl("Q")),
            Command::Guidelines => ks!(ctrl("G")),
            Command::ModelWindow => ks!(ctrl("M")),
            Command::ReviewSuggestions => ks!(ctrl_shift("R")),
            Command::Agreement => ks!(ctrl_shift("A")),
            Command::Adjudicate => ks!(ctrl("J")),
            _ => &[],
        }
    }

    /// Commands that act on the article; they are not taken while a text field has the keyboard.
    pub fn is_annotation_key(&self) -> bool {
        self.shortcuts()
            .iter()
            .any(|s| !s.mods.command || matches!(self, Command::StartLeft | Command::StartRight))
    }
}

/// How well `query` matches `name`: its chars must appear in order (case-insensitive); matches at
/// word starts and in runs score higher. `None` when they do not all appear.
pub fn fuzzy_score(query: &str, name: &str) -> Option<i32> {
    let name: Vec<char> = name.to_lowercase().chars().collect();
    let mut score = 0;
    let mut pos = 0;
    let mut prev: Option<usize> = None;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let i = (pos..name.len()).find(|&i| name[i] == q)?;
        score += 1;
        if i == 0 || !name[i - 1].is_alphanumeric() {
            score += 3;
        }
        if prev.is_some_and(|p| p + 1 == i) {
            score += 2;
        }
        score -= (i - pos) as i32 / 4;
        prev = Some(i);
        pos = i + 1;
    }
    Some(score)
}

/// Named commands matching `query`, best first (all of them in order for an empty query).
pub fn palette_matches(query: &str) -> Vec<Command> {
    let mut scored: Vec<(i32, usize, &Command)> = Command::ALL
        .iter()
        .enumerate()
        .filter_map(|(k, c)| fuzzy_score(query, c.name()).map(|s| (s, k, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_shortcut_is_used_twice_and_digits_stay_free() {
        let mut seen: HashMap<Shortcut, &Command> = HashMap::new();
        for c in Command::ALL {
            for s in c.shortcuts() {
                if let Some(other) = seen.insert(*s, c) {
                    panic!("{other:?} and {c:?} share a shortcut");
                }
            }
        }
        // Label keys are digits without modifiers: no command may use them.
        for d in '1'..='9' {
            assert!(!seen.contains_key(&plain(d.to_string().leak())));
        }
    }

    #[test]
    fn fuzzy_palette() {
        assert_eq!(palette_matches("accall")[0], Command::AcceptAll);
        assert_eq!(palette_matches("undo")[0], Command::Undo);
        assert_eq!(palette_matches("exp")[0], Command::Export);
        assert!(palette_matches("zzzq").is_empty());
        assert_eq!(palette_matches("").len(), Command::ALL.len());
    }

    #[test]
    fn every_named_command_is_listed_once_in_a_menu() {
        let mut v = Command::ALL.to_vec();
        v.dedup();
        assert_eq!(v.len(), Command::ALL.len());
        assert_eq!(Command::ALL.len(), 47);
        for c in Command::ALL {
            assert!(c.menu().is_some(), "{c:?} has no menu");
            assert!(!c.name().is_empty() && !c.help().is_empty());
        }
        assert_eq!(Command::GoTo(0).menu(), None);
    }
}
