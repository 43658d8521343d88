//! Keyboard: the command enum's shortcuts as egui shortcuts, label keys, and dropped files.
//! Keys only queue commands; the app runs them.

use crate::session::{Command, Session, Shortcut};
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::PathBuf;

/// The egui shortcut for a command's shortcut (`None` for a key name egui does not know).
pub fn to_egui(s: &Shortcut) -> Option<KeyboardShortcut> {
    let mut m = Modifiers::NONE;
    if s.mods.command {
        m = m.plus(Modifiers::COMMAND);
    }
    if s.mods.shift {
        m = m.plus(Modifiers::SHIFT);
    }
    Some(KeyboardShortcut::new(m, Key::from_name(s.key)?))
}

/// The first shortcut of a command, as the platform writes it ("Ctrl+S").
pub fn shortcut_text(ctx: &egui::Context, cmd: &Command) -> String {
    cmd.shortcuts()
        .first()
        .and_then(to_egui)
        .map(|s| ctx.format_shortcut(&s))
        .unwrap_or_default()
}

/// Every shortcut of a command, as the platform writes them.
pub fn all_shortcuts_text(ctx: &egui::Context, cmd: &Command) -> Vec<String> {
    cmd.shortcuts()
        .iter()
        .filter_map(to_egui)
        .map(|s| ctx.format_shortcut(&s))
        .collect()
}

/// Label keys: `1`–`9` (and letters, if a label is given one) without modifiers.
pub fn key_for_char(c: char) -> Option<Key> {
    Key::from_name(&c.to_ascii_uppercase().to_string())
}

/// Every command with its egui shortcuts, most specific first (Ctrl+Shift+Z before Ctrl+Z: egui
/// ignores an extra Shift otherwise). Built once; keys are looked at every frame.
fn table() -> &'static [(&'static Command, Vec<KeyboardShortcut>)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static Command, Vec<KeyboardShortcut>)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<(&Command, Vec<KeyboardShortcut>)> = Command::ALL
            .iter()
            .map(|c| (c, c.shortcuts().iter().filter_map(to_egui).collect()))
            .collect();
        t.sort_by_key(|(c, _)| {
            std::cmp::Reverse(
                c.shortcuts()
                    .first()
                    .map_or(0, |s| s.mods.command as u8 + s.mods.shift as u8),
            )
        });
        t
    })
}

/// Turn this frame's keys and dropped files into commands.
pub fn handle(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    // While the window asks who is annotating, no key may edit (the edit would land in the
    // main layer): the question takes the keyboard.
    if session.asks_name() {
        return;
    }
    let typing = ctx.egui_wants_keyboard_input();
    for (cmd, shortcuts) in table() {
        if typing && cmd.is_annotation_key() {
            continue;
        }
        for sc in shortcuts {
            if ctx.input_mut(|i| i.consume_shortcut(sc)) {
                if sc.logical_key == Key::Tab {
                    // Tab is ours while no text field has the keyboard: keep egui from moving
                    // the focus to the next widget as well.
                    ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
                }
                out.push((*cmd).clone());
            }
        }
    }
    if !typing && session.adjudication().is_some() {
        // Adjudicating: Ctrl+N takes annotator N's version here, Ctrl+Shift+N for the rest.
        for (n, d) in ('1'..='9').enumerate() {
            let Some(k) = key_for_char(d) else { continue };
            let all = Modifiers::COMMAND | Modifiers::SHIFT;
            if ctx.input_mut(|i| i.consume_key(all, k)) {
                out.push(Command::TakeAllFrom(n));
            } else if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, k)) {
                out.push(Command::TakeVersion(n));
            }
        }
    }
    if !typing {
        for l in &session.schema().labels {
            let Some(k) = l.key.and_then(key_for_char) else {
                continue;
            };
            if ctx.input_mut(|i| {
                i.consume_key(Modifiers::NONE, k) || i.consume_key(Modifiers::ALT, k)
            }) {
                out.push(Command::ApplyLabel(l.name.clone()));
            }
        }
    }
    let dropped: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !dropped.is_empty() {
        out.push(Command::ImportPaths(dropped));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_is_an_egui_key_and_label_digits_are_free() {
        let mut seen = std::collections::HashSet::new();
        for c in Command::ALL {
            for s in c.shortcuts() {
                let k = to_egui(s).unwrap_or_else(|| panic!("{c:?}: unknown key {}", s.key));
                assert!(seen.insert(k), "{c:?} shares a shortcut");
            }
        }
        for d in '1'..='9' {
            let k = key_for_char(d).unwrap();
            // Digits are label keys; with Ctrl (and Shift) they take versions when adjudicating.
            for m in [
                Modifiers::NONE,
                Modifiers::COMMAND,
                Modifiers::COMMAND | Modifiers::SHIFT,
            ] {
                assert!(!seen.contains(&KeyboardShortcut::new(m, k)));
            }
        }
    }
}
