//! Every action of the window: its name, help text and keyboard shortcuts, in one enum. Menus, the
//! key handler and the F1 help all read it; a test rejects shortcuts used twice.

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    RefreshSuggestions,
    RefreshAll,
    SearchProject,
    Consistency,
    Statistics,
    ClearSelection,
    ToggleTheme,
    Palette,
    Help,
}

/// A `&'static [KeyboardShortcut]` (const fn calls are not promoted to statics on their own).
macro_rules! ks {
    ($($s:expr),*) => {{
        const S: &[KeyboardShortcut] = &[$($s),*];
        S
    }};
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}
const CMD: Modifiers = Modifiers::COMMAND;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const NONE: Modifiers = Modifiers::NONE;

impl Command {
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
        Command::RefreshSuggestions,
        Command::RefreshAll,
        Command::SearchProject,
        Command::Consistency,
        Command::Statistics,
        Command::ClearSelection,
        Command::ToggleTheme,
        Command::Palette,
        Command::Help,
    ];

    pub fn name(self) -> &'static str {
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
            Command::RefreshSuggestions => "Re-run suggestions",
            Command::RefreshAll => "Re-run suggestions on all documents",
            Command::SearchProject => "Search the project…",
            Command::Consistency => "Check consistency…",
            Command::Statistics => "Statistics…",
            Command::ClearSelection => "Clear selection",
            Command::ToggleTheme => "Dark / light theme",
            Command::Palette => "Command palette",
            Command::Help => "Keyboard shortcuts",
        }
    }

    pub fn help(self) -> &'static str {
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
            Command::EndLeft => "Move the selected entity's end one token left",
            Command::EndRight => "Move the selected entity's end one token right",
            Command::StartLeft => "Move the selected entity's start one token left",
            Command::StartRight => "Move the selected entity's start one token right",
            Command::MarkDone => "Mark this document done (or back to in progress)",
            Command::RefreshSuggestions => "Run the extractor again on this document (rejected and confirmed spans stay)",
            Command::RefreshAll => "Run the extractor again on every document, in the background (cancellable)",
            Command::SearchProject => "Find text or a regular expression in every document, see the hits in context, jump to one, or tag them all (previewed, one undo step)",
            Command::Consistency => "List strings tagged differently in different places (or tagged in one and untagged in another); visit them or fix them all at once",
            Command::Statistics => "Entities per label, documents done over time, and how often suggestions are accepted, by label and by recognizer",
            Command::ClearSelection => "Clear the selection",
            Command::ToggleTheme => "Switch between the dark and light theme",
            Command::Palette => "Find any command by typing part of its name",
            Command::Help => "Show every shortcut",
        }
    }

    /// The menu the command is listed in (menus show commands in the order of [`Command::ALL`]).
    pub fn menu(self) -> &'static str {
        match self {
            Command::NewProject
            | Command::OpenProject
            | Command::ImportArticles
            | Command::Export
            | Command::Save
            | Command::SaveAs
            | Command::TypePath => "File",
            Command::Undo | Command::Redo | Command::Find | Command::ClearSelection => "Edit",
            Command::NextDocument
            | Command::PrevDocument
            | Command::ToggleTheme
            | Command::Palette => "View",
            Command::Help => "Help",
            Command::SearchProject
            | Command::Consistency
            | Command::Statistics
            | Command::RefreshAll => "Project",
            _ => "Annotate",
        }
    }

    /// Shortcuts; the first is shown in menus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Command::NewProject => ks!(sc(CMD, Key::N)),
            Command::OpenProject => ks!(sc(CMD, Key::O)),
            Command::ImportArticles => ks!(sc(CMD, Key::I)),
            Command::Export => ks!(sc(CMD, Key::E)),
            Command::Save => ks!(sc(CMD, Key::S)),
            Command::SaveAs => ks!(sc(CMD_SHIFT, Key::S)),
            Command::TypePath => ks!(sc(CMD, Key::L)),
            Command::Undo => ks!(sc(CMD, Key::Z)),
            Command::Redo => ks!(sc(CMD_SHIFT, Key::Z), sc(CMD, Key::Y)),
            Command::Find => ks!(sc(CMD, Key::F)),
            Command::NextDocument => ks!(sc(CMD, Key::PageDown)),
            Command::PrevDocument => ks!(sc(CMD, Key::PageUp)),
            Command::NextSuggestion => ks!(sc(NONE, Key::Tab)),
            Command::PrevSuggestion => ks!(sc(SHIFT, Key::Tab)),
            Command::Accept => ks!(sc(NONE, Key::Enter)),
            Command::Reject => ks!(sc(NONE, Key::Backspace)),
            Command::Remove => ks!(sc(NONE, Key::Delete)),
            Command::AcceptAll => ks!(sc(CMD_SHIFT, Key::Enter)),
            Command::EndLeft => ks!(sc(SHIFT, Key::ArrowLeft)),
            Command::EndRight => ks!(sc(SHIFT, Key::ArrowRight)),
            Command::StartLeft => ks!(sc(CMD_SHIFT, Key::ArrowLeft)),
            Command::StartRight => ks!(sc(CMD_SHIFT, Key::ArrowRight)),
            Command::MarkDone => ks!(sc(CMD, Key::D)),
            Command::RefreshSuggestions => ks!(sc(NONE, Key::F5)),
            Command::RefreshAll => ks!(sc(SHIFT, Key::F5)),
            Command::SearchProject => ks!(sc(CMD_SHIFT, Key::F)),
            Command::Consistency => ks!(sc(CMD_SHIFT, Key::K)),
            Command::Statistics => ks!(sc(CMD_SHIFT, Key::T)),
            Command::ClearSelection => ks!(sc(NONE, Key::Escape)),
            Command::ToggleTheme => &[],
            Command::Palette => ks!(sc(CMD_SHIFT, Key::P)),
            Command::Help => ks!(sc(NONE, Key::F1)),
        }
    }

    /// Commands that act on the article; they are not taken while a text field has the keyboard.
    pub fn is_annotation_key(self) -> bool {
        self.shortcuts().iter().any(|s| {
            !s.modifiers.command || matches!(self, Command::StartLeft | Command::StartRight)
        })
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

/// Commands matching `query`, best first (all commands in order for an empty query).
pub fn palette_matches(query: &str) -> Vec<Command> {
    let mut scored: Vec<(i32, usize, Command)> = Command::ALL
        .iter()
        .enumerate()
        .filter_map(|(k, c)| fuzzy_score(query, c.name()).map(|s| (s, k, *c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// Label keys: `1`–`9` (and letters, if a label is given one) without modifiers.
pub fn key_for_char(c: char) -> Option<Key> {
    Key::from_name(&c.to_ascii_uppercase().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_shortcut_is_used_twice() {
        let mut seen: HashMap<KeyboardShortcut, Command> = HashMap::new();
        for &c in Command::ALL {
            for s in c.shortcuts() {
                if let Some(other) = seen.insert(*s, c) {
                    panic!("{:?} and {:?} share a shortcut", other, c);
                }
            }
        }
        // Label keys are digits without modifiers: no command may use them.
        for d in '1'..='9' {
            let k = key_for_char(d).unwrap();
            assert!(!seen.contains_key(&KeyboardShortcut::new(Modifiers::NONE, k)));
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
    fn every_command_is_listed_once() {
        let mut v = Command::ALL.to_vec();
        v.dedup();
        assert_eq!(v.len(), Command::ALL.len());
        assert_eq!(Command::ALL.len(), 32);
    }
}
